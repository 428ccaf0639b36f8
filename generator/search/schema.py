"""The Whoosh schema and analysers of the carebase search index.

Text fields share one analyser: words (letters/digits, inner apostrophes kept), lower
case, accents folded (``café`` = ``cafe``), English stop words removed, Porter stems
(``refunds``/``refunded`` = ``refund``). The ``spell`` field keeps the unstemmed words:
it is the vocabulary used to decide which query words are typos and to suggest fixes.
"""

from __future__ import annotations

from whoosh import scoring
from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

#: Field boosts used by BM25F (title matters most; body least).
FIELD_BOOSTS = {"title": 4.0, "keywords": 3.0, "headings": 1.5, "body": 1.0}
#: The fields a query searches.
SEARCH_FIELDS = ("title", "keywords", "headings", "body")


def bm25f() -> scoring.BM25F:
    """The ranking model: BM25F, with less length normalisation for the short fields."""
    return scoring.BM25F(B=0.75, K1=1.2, title_B=0.3, keywords_B=0.3, headings_B=0.5)

_WORDS = r"\w+(?:'\w+)*"

#: English stop words (lunr's list, which Material also uses, less the negations):
#: Whoosh's default list keeps "i", "my", "how", "do"..., which match every help title.
STOP_WORDS = frozenset("""
a able about across after all almost also am among an and any are as at be because been
but by can could dear did do does either else ever every for from get got had has have he
her hers him his how however i if in into is it its just least let like likely may me might
most must my neither of off often on only or other our own rather said say says she should
since so some than that the their them then there these they this tis to too twas us wants
was we were what when where which while who whom why will with would yet you your i'm i've
i'd it's im ive don't didn't doesn't
""".split())


def text_analyzer():
    """Stemming analyser with accent folding, used at index and query time."""
    return (
        RegexTokenizer(_WORDS)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS)
        | StemFilter(cachesize=50000)
    )


def word_analyzer():
    """Unstemmed words (lower case, accents folded, no stop words): the spelling vocabulary."""
    return (
        RegexTokenizer(_WORDS)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=2)
    )


def build_schema() -> Schema:
    ana = text_analyzer()
    return Schema(
        key=ID(stored=True, unique=True),  # id, plus "#t=N" for a video chapter
        id=ID(stored=True),
        kind=ID(stored=True, sortable=True),
        title=TEXT(analyzer=ana, stored=True, field_boost=FIELD_BOOSTS["title"]),
        keywords=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["keywords"]),
        headings=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["headings"]),
        body=TEXT(analyzer=ana, stored=True, field_boost=FIELD_BOOSTS["body"]),
        spell=TEXT(analyzer=word_analyzer()),
        category=ID(stored=True),
        url=STORED(),
        summary=STORED(),
        start=NUMERIC(stored=True),  # chapter start (seconds); -1 for whole items
    )
