"""Word forms the stemmer does not join: *frozen*/*froze* → *freeze*, *paid* → *pay*, *sent* →
*send*, *stolen* → *steal*, *withdrew* → *withdraw*, *topped* → *top* (``Analyser.stem``).

The forms come from simplemma's lemma dictionary (MIT; 54 languages, the dictionaries
shipped in the wheel, nothing downloaded; English 181,612 forms, German 1.3 MB compressed).
Only the entries that change the stem are kept: a form whose stem already equals its base
form's (*cards* → *card*) needs no table. An entry is left out when

- either word is not a word as the analyser cuts text (*start-up*), or has a capital
  (*FRD* → *ford*: names and acronyms are not word forms);
- its base form is a stop word (*gotten* → *get*): a content word would become a stop word;
- its base form is not a word of the language's dictionary (``Analyser.is_word``), or the form
  is an everyday word (``Analyser.is_ordinary``) and its base form is not one (*gone* →
  *gan*, an archaic verb, is simplemma's; *gone* stays *gone*);
- two forms fold to the same letters (*Küsse*/*kusse*) with different base forms;
- it is in ``NOT_FORMS``: a word a customer means as itself, where simplemma gives it another
  word's base form (degrees of comparison, homographs, acronyms; listed below).

The English derivations (``derivations.py``: *verification* → *verify*) are entries of the
same table. What is left (English: ~10,000 forms and ~200 derivations) is kept in carebase's cache folder (the dictionaries'
folder, ``carebase.text.dictionary``) as text, one ``form<TAB>base`` a line, named for
simplemma's and pyspellchecker's files and this module's rules: reading simplemma's file and
keeping the entries costs ~2-4 s of CPU once, reading the kept table ~0.02 s.
``CAREBASE_CACHE_DIR=off``: computed in every process that stems a word.

**Beside a search index** (``write_beside``, ``read_beside``): the table a search in the index's
language reads (English: the analyser's own forms; German: the forms of separated verbs,
``carebase.text.separable``) is written with the index (gzip, ~200 KB for German, ~50 KB for
English), named by its rules and by the content of simplemma's and pyspellchecker's files, not by
where they are installed: a service or a report on a build output reads it there (~0.05 s)
whatever its own cache folder holds, and never makes it (German ~4.3 s of CPU) inside a
customer's first search. A table written under other rules or sources is not read.

The client index gets the same joins without a dictionary: ``for_terms`` keeps the entries
that touch the index's own terms (``Analyser.client_rules(terms)``), which the build writes
into meta.json for analyser.js.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from pathlib import Path
from typing import Callable

#: the rules of the table (bump when they change: the kept tables are then made again; this file,
#: ``NOT_FORMS``, the analyser's stop words and the derivations' rules are part of the kept table's
#: name of their own: ``_rules_key``, ``derivations.rules_key``)
RULES = 3

#: simplemma entries that join two words a customer does not mean as one, per language. Found by
#: reading the kept English table (session 33's code review): "works best" is not "good", "got
#: worse" is not "wrong", "bare copper" is not "bear", an "LED" or "LAN" is not "lead" or "lin".
NOT_FORMS = {
    "en": frozenset({
        # degrees of comparison of another word
        "better", "best", "worse", "worst", "elder", "eldest", "farther", "furthest",
        # homographs: everyday words of their own that simplemma gives another word's base
        "bare", "lay", "media", "lit", "dang", "gan",
        # acronyms written in lower case by the analyser
        "led", "lan", "ltd",
    }),
}

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*\Z")

#: The table a search reads, kept beside its index (``write_beside``).
BESIDE = "carebase-forms.txt.gz"
_HEADER = "# carebase word forms"


def _simplemma_file(language: str) -> Path | None:
    """simplemma's dictionary of ``language`` (found without importing simplemma: its import
    costs ~0.4 s, reading a kept table ~0.02 s)."""
    import importlib.util

    spec = importlib.util.find_spec("simplemma")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "strategies" / "dictionaries" / "data" / f"{language}.plzma"
    return path if path.is_file() else None


def table(analyser, raw_stem: Callable[[str], str], language: str) -> dict[str, str]:
    """The forms of ``language`` (a simplemma language code) whose stem is not their base
    form's: folded form → folded base form. Empty without simplemma or its language."""
    source = _simplemma_file(language) if language else None
    if source is None:
        return {}
    kept = _kept_path(analyser, language, source)
    if kept is not None:
        found = _read(kept)
        if found is not None:
            return found
    entries = _entries(language)
    forms: dict[str, str] = {}
    clashes: set[str] = set()
    not_forms = NOT_FORMS.get(language, frozenset())
    for key, value in entries.items():
        if key == value:
            continue
        form, base = key.decode("utf-8", "replace"), value.decode("utf-8", "replace")
        if not (form.islower() and base.islower() and _WORD.match(form) and _WORD.match(base)):
            continue
        word = base
        form, base = analyser.fold(form), analyser.fold(base)
        if form == base or base in analyser.stop_words or form in analyser.stop_words or form in not_forms:
            continue
        if raw_stem(form) == raw_stem(base):
            continue
        if not (analyser.is_word(word) or analyser.is_word(base)) or (analyser.is_ordinary(form) and not analyser.is_ordinary(base)):
            continue
        if forms.get(form, base) != base:
            clashes.add(form)
        forms[form] = base
    for form in clashes:
        del forms[form]
    forms.update(_derivations(analyser, raw_stem, forms, entries))
    if kept is not None:
        _keep(kept, forms)
    return forms


def _derivations(analyser, raw_stem: Callable[[str], str], forms: dict[str, str],
                 entries: dict[bytes, bytes]) -> dict[str, str]:
    """The derivations (``derivations.py``: *verification* → *verify*) as entries of this table:
    derived word → the base word's own entry (its base form) or the base word."""
    from carebase.text import derivations
    from carebase.text.dictionary import words_of

    if analyser.language not in derivations.LANGUAGES or not analyser.dictionary:
        return {}
    lemmas = {}
    for key, value in entries.items():
        form, base = key.decode("utf-8", "replace"), value.decode("utf-8", "replace")
        if form.islower() and base.islower() and _WORD.match(form) and _WORD.match(base):
            lemmas[analyser.fold(form)] = analyser.fold(base)

    def stem(word: str) -> str:
        return raw_stem(forms.get(word, word))

    words = sorted(set(words_of(analyser.dictionary)) | set(lemmas.values()))  # British spellings are simplemma's
    joined = derivations.joins(analyser, stem, words, lemmas)
    return {word: forms.get(base, base) for word, base in joined.items()}


def _entries(language: str) -> dict[bytes, bytes]:
    """simplemma's dictionary of ``language``: form → lemma, as UTF-8 bytes."""
    from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk

    return _load_dictionary_from_disk(language)


def for_terms(forms: dict[str, str], stem: Callable[[str], str], raw_stem: Callable[[str], str],
              terms) -> dict[str, str]:
    """The entries of ``forms`` the client index needs to analyse a query as ``stem`` does, for an
    index of ``terms``: every form whose joined stem, or whose own stem, is one of the terms
    (a query word outside these matches no term either way)."""
    terms = set(terms)
    return {form: base for form, base in sorted(forms.items())
            if stem(form) in terms or raw_stem(form) in terms}


# -- beside a search index ------------------------------------------------------------------
def searched(analyser) -> str:
    """simplemma's language whose table a search analysed by ``analyser`` reads: its own word
    forms (English: ``Analyser.stem``), German's for separated verbs (``carebase.text.separable``);
    "" for none."""
    return analyser.forms_language or ("de" if analyser.language == "de" else "")


def write_beside(folder, analyser) -> Path | None:
    """Write the table a search in ``analyser``'s language reads into ``folder`` (a search index's:
    ``carebase.search.index.write_records``); None when it reads none or simplemma is missing."""
    language = searched(analyser)
    source = _simplemma_file(language) if language else None
    if source is None:
        return None
    found = analyser.table(language)
    text = "\n".join([f"{_HEADER} {language} {fingerprint(analyser, language, source)}",
                      *(f"{f}\t{b}" for f, b in sorted(found.items()))])
    path = Path(folder) / BESIDE
    path.write_bytes(gzip.compress(text.encode("utf-8"), 6, mtime=0))
    return path


def read_beside(folder, analyser) -> bool:
    """Give ``analyser`` the table kept beside the search index in ``folder`` (``write_beside``)
    when it was made under this carebase's rules from the same dictionaries; True when the
    table a search in its language reads is in memory now (given here or held before, or none
    is read), False when it is still to be read from the cache folder or made."""
    language = searched(analyser)
    if not language or analyser.has_table(language):
        return True
    source = _simplemma_file(language)
    if source is None or folder is None:
        return source is None  # no simplemma: the table is empty, nothing to make
    try:
        text = gzip.decompress((Path(folder) / BESIDE).read_bytes()).decode("utf-8")
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError):
        return False
    header, _, body = text.partition("\n")
    if header != f"{_HEADER} {language} {fingerprint(analyser, language, source)}":
        return False  # another carebase's rules, another simplemma or dictionary
    found = _parse(body)
    if found is None:
        return False
    analyser.give(language, found)
    return True


def fingerprint(analyser, language: str, source: Path) -> str:
    """The rules and the dictionaries a table is made from, wherever they are installed: the
    rules' parts of the cache's name and the SHA-256 of simplemma's and pyspellchecker's files."""
    from carebase.text.dictionary import _source

    parts = _rules_parts(analyser)
    for path in (source, _source(analyser.dictionary) if analyser.dictionary else None):
        parts.append(_file_digest(path) if path is not None else "-")
    return hashlib.sha256("\0".join([language, *parts]).encode()).hexdigest()[:32]


_DIGESTS: dict[tuple, str] = {}


def _file_digest(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    found = _DIGESTS.get(key)
    if found is None:
        found = _DIGESTS[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# -- the kept table ------------------------------------------------------------------------
def _rules_parts(analyser) -> list[str]:
    from carebase.text import derivations

    return [str(RULES), derivations.rules_key(), _rules_key(), analyser.language, analyser.stemmer,
            analyser.dictionary, repr(sorted(analyser.stop_words))]


def _kept_path(analyser, language: str, source: Path) -> Path | None:
    from carebase.search import vector_cache
    from carebase.text.dictionary import _source

    vectors = vector_cache.default_path()
    if vectors is None or not re.fullmatch(r"[a-z]{2,3}", language):
        return None
    parts = _rules_parts(analyser)
    for path in (source, _source(analyser.dictionary) if analyser.dictionary else None):
        if path is not None:
            stat = path.stat()
            parts += [str(path), str(stat.st_size), str(stat.st_mtime_ns)]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
    return vectors.parent / "dictionaries" / f"forms-{language}-{digest}.txt"


def _rules_key() -> str:
    """This module's rules as text: part of the kept table's name, as derivations.rules_key is of
    its own, so a table kept by an older carebase (another ``NOT_FORMS``, another way of choosing
    forms) is made again after an upgrade, whether or not ``RULES`` was bumped."""
    return hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12] + repr(sorted((k, sorted(v)) for k, v in NOT_FORMS.items()))


def _read(path: Path) -> dict[str, str] | None:
    """The kept table, or None when it is missing or is not one (anything but lines of two words)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return _parse(text)


def _parse(text: str) -> dict[str, str] | None:
    """A table's lines (``form<TAB>base``), or None when any line is not two words."""
    if text == "":
        return {}
    forms = {}
    for line in text.split("\n"):
        form, tab, base = line.partition("\t")
        if not tab or not _WORD.match(form) or not _WORD.match(base):
            return None
        forms[form] = base
    return forms


def _keep(path: Path, forms: dict[str, str]) -> None:
    """Write the table atomically (a reader sees the old file or the whole new one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text("\n".join(f"{f}\t{b}" for f, b in sorted(forms.items())), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full cache folder: the next process makes the table again
