"""Query vectors for replays (benchmarks only): embed every query of a replay in one batch
(far faster than one at a time), then let search use them.

``prime(texts)`` embeds the texts not yet embedded and makes ``carebase.search.meaning.
embed_query`` answer them from here (search, the answer API's confidence and anything else
that embeds a query call it); other texts are embedded as usual. ``search_text(searcher, q)``
is the text search embeds for ``q``: the did-you-mean text, else the query.
"""

from __future__ import annotations

from carebase.search import meaning
from carebase.search.analysis import suggestion

_vectors: dict[tuple[str, str], object] = {}
_embed_one = None


def search_text(searcher, q: str) -> str:
    """What hybrid search embeds for ``q`` (``Searcher.search`` passes the did-you-mean text)."""
    _, clauses = searcher.build_query(q)
    return suggestion(q, clauses, searcher.analyser, searcher.display) or q


def prime(texts) -> None:
    global _embed_one
    model = meaning.model_id()
    todo = [t for t in dict.fromkeys(texts) if (model, t) not in _vectors]
    if todo:
        _vectors.update(((model, t), v) for t, v in zip(todo, meaning.embed_queries(todo)))
    if _embed_one is None:
        _embed_one = meaning.embed_query

        def embed_query(text: str):
            found = _vectors.get((meaning.model_id(), text))
            return found if found is not None else _embed_one(text)

        meaning.embed_query = embed_query
