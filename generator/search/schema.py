"""The Whoosh schema of the carebase search index, analysed by carebase.text.

Text fields share one analyser, carebase's (``carebase.text``: folding, words, stop words,
stems, as the report and the client index use them), the one of the index's language (each
language of a help centre has its own index). The unstemmed words are the vocabulary
used to decide which query words are typos and to suggest fixes: the index's meta holds
them with their document frequencies (``index.py``); indexes written before that hold them
in the ``spell`` field.
"""

from __future__ import annotations

from whoosh import scoring
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from carebase.search.formats import AnalysedPositions
from carebase.text import analyser_for

#: Field boosts used by BM25F (title matters most; body least).
#: ``source``: a translation's source's title and keywords (``records.with_source``), the other
#: language's words, weighed as the body, the least of the item's own fields (empty in the
#: default language's index).
FIELD_BOOSTS = {"title": 4.0, "keywords": 3.0, "headings": 1.5, "body": 1.0, "source": 1.0}
#: The fields a query searches.
SEARCH_FIELDS = ("title", "keywords", "headings", "body", "source")
LANGUAGE = "en"
STOP_WORDS = analyser_for(LANGUAGE).stop_words


def bm25f() -> scoring.BM25F:
    """The ranking model: BM25F, with less length normalisation for the short fields."""
    return scoring.BM25F(B=0.75, K1=1.2, title_B=0.3, keywords_B=0.3, headings_B=0.5, source_B=0.3)


class AnalyserTokenizer(Tokenizer):
    """Whoosh tokens from carebase's analyser: stop words dropped (positions renumbered,
    as Whoosh's StopFilter does), words stemmed unless ``stem=False``."""

    def __init__(self, language: str = LANGUAGE, stem: bool = True):
        self.language = language
        self.stem = stem

    def __eq__(self, other):
        return type(other) is type(self) and (other.language, other.stem) == (self.language, self.stem)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        analyser = analyser_for(self.language)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for word in analyser.words(value, keep_stop_words=True):
            stopped = analyser.is_stop(word)
            if stopped and removestops:
                continue
            t.text = analyser.stem(word) if self.stem and not stopped else word
            t.stopped = stopped
            t.boost = 1.0
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
            pos += not stopped
            yield t

    def terms(self, value: str) -> list[str]:
        """What ``__call__`` yields for ``value`` (stop words removed), as one list of strings."""
        analyser = analyser_for(self.language)
        return analyser.terms(value) if self.stem else analyser.words(value)


def text_analyzer(language: str = LANGUAGE):
    """Stemming analyser, used at index and query time."""
    return AnalyserTokenizer(language)


def word_analyzer(language: str = LANGUAGE):
    """Unstemmed words (folded, no stop words): the spelling vocabulary."""
    return AnalyserTokenizer(language, stem=False)


def _text(analyzer, **options) -> TEXT:
    """A TEXT field (with positions: synonym phrases are phrase queries) whose postings are
    written from the analyser's list of terms (``formats.py``)."""
    field = TEXT(analyzer=analyzer, **options)
    field.format = AnalysedPositions(field_boost=field.format.field_boost)
    return field


def build_schema(language: str = LANGUAGE) -> Schema:
    """The index's fields, analysed by the analyser of ``language`` (an index per language).
    ``spell`` is written empty since the spelling vocabulary moved to the index's meta
    (``index.py``); indexes written before that still hold it."""
    ana = text_analyzer(language)
    return Schema(
        key=ID(stored=True, unique=True),  # id, plus "#t=N" for a video chapter
        id=ID(stored=True),
        kind=ID(stored=True, sortable=True),
        title=_text(ana, stored=True, field_boost=FIELD_BOOSTS["title"]),
        keywords=_text(ana, field_boost=FIELD_BOOSTS["keywords"]),
        headings=_text(ana, field_boost=FIELD_BOOSTS["headings"]),
        body=_text(ana, stored=True, field_boost=FIELD_BOOSTS["body"]),
        source=_text(ana, field_boost=FIELD_BOOSTS["source"]),
        spell=TEXT(analyzer=word_analyzer(language)),
        category=ID(stored=True),
        url=STORED(),
        summary=STORED(),
        start=NUMERIC(stored=True),  # chapter start (seconds); -1 for whole items
    )
