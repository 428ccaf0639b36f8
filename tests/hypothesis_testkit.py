"""How many examples a property test draws: ``examples(local, ci)``.

In CI (CI=true) Hypothesis runs derandomized (conftest.py's "ci" profile): the same examples on
every run, so a run passes or fails on its code, never on the draw. There each test draws its
``ci`` count, chosen to keep what the test has found (each test file says how); a developer's
runs draw ``local`` random examples, new ones every run, which is where new bugs are found.
"""

from __future__ import annotations

import json
import os

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def examples(local: int, ci: int) -> int:
    """``ci`` in CI, ``local`` elsewhere."""
    return ci if CI else local


def codec_alphabet(codec: str = "utf-8") -> tuple[list[list[int]], list[list[int]]] | None:
    """(the code points ``codec`` encodes, those of them that do not decode back to themselves)
    as sorted [first, last] intervals: what Hypothesis computes for ``st.characters(codec=...)``
    (and ``st.text()``, whose default alphabet is utf-8's), one code point at a time in a Python
    loop (~1.3-1.5 s of CPU), here from one encoding of all 1,114,112 code points, whose error
    handler notes each run it cannot encode (~0.1 s). None when a decoded text differs from the
    text encoded (a codec whose characters are not encoded one by one): left to Hypothesis."""
    import codecs
    import sys

    text = "".join(map(chr, range(sys.maxunicode + 1)))
    refused: list[list[int]] = []

    def note(error):
        refused.append([error.start, error.end - 1])
        return "", error.end

    codecs.register_error("carebase-alphabet", note)
    encoded = text.encode(codec, "carebase-alphabet")
    encodable, start = [], 0
    for first, last in refused:
        if first > start:
            encodable.append([start, first - 1])
        start = last + 1
    if start <= sys.maxunicode:
        encodable.append([start, sys.maxunicode])
    if encoded.decode(codec) != "".join(text[a:b + 1] for a, b in encodable):
        return None
    return encodable, []


def prime_utf8_alphabet() -> None:
    """Write Hypothesis's cached utf-8 alphabet (its storage folder's
    unicode_data/<version>/codec-v2-utf-8.json.gz: Hypothesis's JSON, gzipped) when it is
    missing, from ``codec_alphabet``: a clean clone's first run no longer spends ~1.5 s of CPU
    (in each worker process that draws text before the file exists) on Hypothesis's loop. When
    Hypothesis names the file otherwise, nothing is written and it computes its own."""
    import gzip
    import os
    import tempfile

    try:
        from hypothesis.internal.charmap import charmap_file

        target = charmap_file("codec-v2-utf-8")
    except Exception:  # another Hypothesis: its own loop, as before
        return
    if target.exists():
        return
    alphabet = codec_alphabet("utf-8")
    if alphabet is None:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent)
    os.close(fd)
    with gzip.GzipFile(temporary, "wb", mtime=1) as out:  # Hypothesis's own format and mtime
        out.write(json.dumps(list(alphabet)).encode())
    os.replace(temporary, target)
