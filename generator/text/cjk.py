"""Chinese, Japanese and Korean: words by overlapping character pairs (bigrams).

These scripts write words without spaces; an index of every two neighbouring characters
finds a word of two or more characters wherever it is written (the CJK bigram approach of
Lucene's CJKAnalyzer), with no dictionary to ship. A run of one character is a term of its
own. Latin words inside such text are words as in any language. Text is folded with NFKC
(full-width letters and digits become ASCII, half-width katakana full-width) and keeps its
marks (が is not か); Hangul syllables stay whole. No stop words, no stemmer.
"""

from __future__ import annotations

import re

STEMMER = "none"
SEGMENT = "cjk-bigrams"
FOLD = "nfkc"
STOP_WORDS: frozenset = frozenset()
LETTER_FOLDS = {"’": "'", "‘": "'", "ʼ": "'"}
TYPO_EDITS = ((5, 1),)  # Latin words inside CJK text: one edit from 5 letters

#: Kana, CJK unified ideographs (and extension A), compatibility ideographs, Hangul syllables.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_RUN = re.compile(f"[{CJK}]+|[^{CJK}]+")
_HAS = re.compile(f"[{CJK}]")


def stem(word: str) -> str:
    return word


def split(word: str) -> list[str]:
    """A word of the text → its terms: CJK runs as bigrams, other runs as they are."""
    if not _HAS.search(word):
        return [word]
    out = []
    for run in _RUN.findall(word):
        if not _HAS.match(run):
            run = run.strip("'")
            if run:
                out.append(run)
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out
