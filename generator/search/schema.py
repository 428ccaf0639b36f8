"""The Whoosh schema and analysers of the carebase search index.

Text fields share one analyser: words (letters/digits, inner apostrophes kept), lower
case, accents folded (``café`` = ``cafe``), English stop words removed, Porter stems
(``refunds``/``refunded`` = ``refund``). The ``spell`` field keeps the unstemmed words:
it is the vocabulary used to decide which query words are typos and to suggest fixes.
"""

from __future__ import annotations

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

_WORDS = r"\w+(?:'\w+)*"


def text_analyzer():
    """Stemming analyser with accent folding, used at index and query time."""
    return (
        RegexTokenizer(_WORDS)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(cachesize=50000)
    )


def word_analyzer():
    """Unstemmed words (lower case, accents folded, no stop words): the spelling vocabulary."""
    return (
        RegexTokenizer(_WORDS)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(minsize=2)
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
