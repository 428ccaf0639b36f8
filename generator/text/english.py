"""English: the stop words, letter folds and stemmer of the English analyser.

Stop words: lunr's English list (which Material also uses) less the negations, a few
contractions ("don't", "i'm", "im"), and the query filler of the report's former list that
search can drop too ("please", "using", "getting" …). Chosen on half A of the relevance
harness: adding the other contractions ("can't", "isn't") or "help", "need", "want" lowered
hit@5 there, so they stay words (benchmarks/RESULTS.md, "One text analyser").

Stemmer: Porter's algorithm as Whoosh implements it (``whoosh.lang.porter``), which the
search index has always used. It differs from Porter's reference in two anchored rules
(``hopping`` → ``hopp``, ``conflated`` → ``conflat``); analyser.js copies it rule for rule,
and tests/sitesearch checks the two agree on every word of the demo and benchmark content.
"""

from __future__ import annotations

from whoosh.lang.porter import stem as porter_stem

LANGUAGE = "en"

STOP_WORDS = frozenset("""
a able about across after all almost also am among an and any are as at be because been
but by can could dear did do does either else ever every for from get got had has have he
her hers him his how however i if in into is it its just least let like likely may me might
most must my neither of off often on only or other our own rather said say says she should
since so some than that the their them then there these they this tis to too twas us wants
was we were what when where which while who whom why will with would yet you your i'm i've
i'd it's im ive don't didn't doesn't
please use using way gets getting doing done being those yours having
""".split())

#: Letters Unicode decomposition leaves alone, folded the way customers type them.
LETTER_FOLDS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                "ı": "i", "’": "'", "‘": "'", "ʼ": "'"}

#: Typos tolerated: none under 3 letters, one edit up to 4 letters, two from 5 letters on.
TYPO_EDITS = ((3, 1), (5, 2))

stem = porter_stem

#: The language's word list (pyspellchecker's English frequency list, 160,000 words): tells a
#: word of the language from an unintelligible one ("zzkv", "frobnicate").
DICTIONARY = "en"

#: The word forms Porter's algorithm does not join (*frozen* → *freeze*, *paid* → *pay*):
#: simplemma's English lemma dictionary (carebase.text.forms).
FORMS = "en"
