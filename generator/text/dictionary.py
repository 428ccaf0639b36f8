"""A language's dictionary (``Analyser.is_word``): the words of a pyspellchecker dictionary.

pyspellchecker reads its word-frequency file (English: 160,572 words, gzipped JSON) and lower-
cases every key each time it is loaded: ~0.3 s of CPU in every ``carebase report`` that groups
failed searches. The word list is kept in carebase's cache folder (the vector cache's:
``$CAREBASE_CACHE_DIR``, else ``$XDG_CACHE_HOME/carebase``, else ``~/.cache/carebase``) as
plain UTF-8 text, one word a line, named for the dictionary and the size and time of the file
it came from, so a new pyspellchecker's file is read again. Reading it back takes ~0.03 s. The
file is only ever read as text (nothing in it runs); a file that cannot be read or holds
anything but words is ignored and written again. ``CAREBASE_CACHE_DIR=off``: nothing kept.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: An everyday word (``Analyser.is_ordinary``: never "corrected" by search) is a word its
#: dictionary counts at least this often. pyspellchecker's English list counts 160,572 words,
#: 75 % of them at its floor of 50 (rare words and misspellings alike); 18,919 over 1,000.
ORDINARY_FREQUENCY = 1000

#: characters a kept word list never holds (its words are split on new lines only)
_NEVER = (" ", "\t", "\r", "\x00", "\n\n")


def words_of(name: str, min_frequency: int = 0) -> frozenset:
    """The lower-cased words of pyspellchecker's dictionary ``name`` (``en``, ``de``); empty for "".
    ``min_frequency``: only the words counted at least that often in its frequency list (kept in
    a file of its own)."""
    if not name:
        return frozenset()
    source = _source(name)
    kept = _kept_path(name + (f"-f{min_frequency}" if min_frequency else ""), source)
    if kept is not None:
        try:
            text = kept.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        if _a_word_list(text):
            return frozenset(text.split("\n"))
    from spellchecker import SpellChecker

    counts = SpellChecker(language=name, distance=1).word_frequency.dictionary
    words = frozenset(w for w, n in counts.items() if n >= min_frequency) if min_frequency else frozenset(counts)
    if kept is not None:
        _keep(kept, words)
    return words


def _a_word_list(text: str) -> bool:
    """Whether ``text`` is words, one a line (none empty, none with white space or NUL)."""
    return bool(text) and not text.startswith("\n") and not text.endswith("\n") and not any(c in text for c in _NEVER)


def _source(name: str) -> Path | None:
    """pyspellchecker's file of the dictionary ``name`` (None when it is not there)."""
    try:
        import spellchecker
    except ImportError:
        return None
    path = Path(spellchecker.__file__).parent / "resources" / f"{name}.json.gz"
    return path if path.is_file() else None


def _kept_path(name: str, source: Path | None) -> Path | None:
    """Where the word list of ``source`` is kept, or None (cache off, no source file)."""
    from carebase.search import vector_cache

    vectors = vector_cache.default_path()
    if vectors is None or source is None or not re.fullmatch(r"[a-z]{2,3}(-f[0-9]+)?", name):
        return None
    stat = source.stat()
    return vectors.parent / "dictionaries" / f"{name}-{stat.st_size}-{stat.st_mtime_ns}.txt"


def _keep(path: Path, words: frozenset) -> None:
    """Write the word list (atomically: a reader sees the old file or the whole new one); nothing
    when a word could not be a line of it (white space, NUL, empty)."""
    text = "\n".join(words)
    if not _a_word_list(text) or text.count("\n") != len(words) - 1:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full cache folder: the next run reads pyspellchecker's file again
