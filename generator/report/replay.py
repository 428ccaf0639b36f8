"""Replaying failed queries against the *current* content.

``Replayer`` is the small interface the missing-content analysis needs: ``search(query,
limit) -> [(item id, score)]``. ``WhooshReplayer`` wraps the site's own search over the
build output's index (``carebase report`` always uses it), so a query is replayed exactly
as customers would run it today. ``TermReplayer`` is a plain in-memory term matcher, the
default of ``build_report`` for callers that have a catalogue and no build output.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Protocol

from carebase.report.normalise import Normaliser


class Replayer(Protocol):
    name: str

    def search(self, query: str, limit: int = 5) -> list[tuple[str, float]]: ...


def headline_text(item) -> str:
    """What a customer sees in a result: title, summary, keywords and tags."""
    return " ".join([item.title, getattr(item, "summary", "") or "", " ".join(item.keywords), " ".join(item.tags)])


def body_text(item) -> str:
    if item.kind == "article":
        return item.body
    if item.kind == "faq":
        return item.answer
    chapters = " ".join(c.title for c in item.chapters)
    return chapters + " " + " ".join(c.text for c in item.transcript)


class TermReplayer:
    """OR-matching over stems, idf-weighted, headline fields worth 3× the body."""

    name = "built-in term matcher"

    def __init__(self, catalogue, normaliser: Normaliser):
        self.normaliser = normaliser
        self.postings: dict[str, dict[str, float]] = {}
        items = list(catalogue.items())
        for item in items:
            weights: Counter = Counter()
            for s in normaliser.stems_of(body_text(item)):
                weights[s] = 1.0
            for s in normaliser.stems_of(headline_text(item)):
                weights[s] = 3.0
            for s, w in weights.items():
                self.postings.setdefault(s, {})[item.id] = w
        self.total = max(1, len(items))

    def search(self, query: str, limit: int = 5) -> list[tuple[str, float]]:
        scores: Counter = Counter()
        for s in self.normaliser.analyse(query).key:
            posting = self.postings.get(s, {})
            if not posting:
                continue
            idf = math.log(1 + self.total / len(posting))
            for item_id, weight in posting.items():
                scores[item_id] += weight * idf
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:limit]


class WhooshReplayer:
    """The site's search (carebase.search.Searcher) over the current catalogue.

    The replay needs only the ranked ids and scores: ``Searcher.ranked`` gives the ranking
    ``search`` returns without cutting snippets (tests/report/test_report_index_cache.py
    checks that they agree)."""

    name = "carebase search (Whoosh)"

    def __init__(self, searcher=None, *, opening=None):
        """``searcher``, or ``opening``: a function that opens it, called on the first replay
        (a report whose replays are all remembered never opens the index, its spelling
        dictionary and the model: ~0.2–0.35 s of CPU)."""
        if (searcher is None) == (opening is None):
            raise TypeError("WhooshReplayer: expected a searcher or opening, found "
                            f"{'both' if searcher is not None else 'neither'}")
        self._searcher = searcher
        self._opening = opening

    @property
    def searcher(self):
        if self._searcher is None:
            self._searcher = self._opening()
        return self._searcher

    def search(self, query: str, limit: int = 5) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        seen = set()
        for item_id, score in self.searcher.ranked(query, limit=limit * 2):
            if item_id not in seen:
                seen.add(item_id)
                out.append((item_id, score))
        return out[:limit]


#: the carebase modules a replay runs, each with every carebase module it imports (found from
#: their import statements: carebase.output.stamp.carebase_files): this module, the opened build
#: output that opens the site's search, and the search (its query, engine, analyser, spelling
#: dictionary, meaning and the model's runtime wrapper, ~80 files)
CODE = ("carebase.report.replay", "carebase.output.opened", "carebase.search.query")
#: the installed distributions whose code shapes a replay's ranking, besides the analyser's word
#: data (carebase.output.stamp.WORD_DATA): Whoosh (the index's reader and its scoring), numpy and
#: onnxruntime (the query's vector and its cosines; the model's weights are named by the build
#: output's vectors, which a search uses only when the running model is theirs)
DISTRIBUTIONS = ("whoosh-reloaded", "numpy", "onnxruntime")


def running_code() -> str:
    """A hash of the code and data a replay runs with in this process (``CODE``'s files and
    ``DISTRIBUTIONS``' installed versions), so that replays remembered by an older carebase are
    replayed afresh after an upgrade, before the help centre is built again."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version
    from pathlib import Path

    import carebase
    from carebase import __version__
    from carebase.output.stamp import WORD_DATA, carebase_files

    root = Path(carebase.__path__[0])
    digest = hashlib.sha256(f"{__version__}\0".encode())
    for path in carebase_files(CODE):  # named by their place in the package: two __init__.py differ
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for name in (*DISTRIBUTIONS, *WORD_DATA):
        try:
            digest.update(f"{name}\0{version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}\0-\0".encode())
    return digest.hexdigest()


class RememberedReplays:
    """A replayer whose answers are kept in the report's cache folder for the next report on
    the same build output: replaying thousands of failed searches through the site's search
    (with meaning: an embedding per query) is a third of a warm report's time at 1 M
    searches, and the answers cannot change while the search index does not.

    ``revision`` names what the answers depend on in the build output (its search revision:
    the content, the synonyms and the vectors the index was written from; whether meaning is
    on; the language); ``running_code()`` is added to it: the code that replays *now*, which is
    not the code that wrote the output (its stamp names the writer's code, and a report run
    after an upgrade reads an output the old carebase wrote until the help centre is built
    again). The file (``replays.json``: query, limit and the ranked ids with their scores) holds
    only the last run's replays, and is ignored when the revision differs or it cannot be read.

    The event store is not part of the key: a replay is the ranking of a query by the index
    and the code, whichever store the query came from (another store's queries are simply not
    in the file, and are replayed)."""

    FILE = "replays.json"

    def __init__(self, replayer, cache_dir, revision: str):
        import hashlib
        from pathlib import Path

        self.inner = replayer
        self.name = replayer.name
        self.path = Path(cache_dir) / self.FILE if cache_dir else None
        self.revision = hashlib.sha256(f"{revision}\0{running_code()}".encode()).hexdigest()
        self._old: dict[str, list] = {}
        self._new: dict[str, list] = {}
        if self.path is not None and self.path.is_file():
            import json

            try:
                saved = json.loads(self.path.read_text(encoding="utf-8"))
                if saved.get("revision") == self.revision and isinstance(saved.get("replays"), dict):
                    self._old = saved["replays"]
            except (OSError, ValueError, AttributeError):
                self._old = {}  # damaged by hand: replayed afresh

    def search(self, query: str, limit: int = 5) -> list[tuple[str, float]]:
        key = f"{limit}\t{query}"
        found = self._new.get(key)
        if found is None:
            old = self._old.get(key)
            if isinstance(old, list) and all(isinstance(r, list) and len(r) == 2 for r in old):
                found = [(str(item_id), float(score)) for item_id, score in old]
            else:
                found = [(item_id, float(score)) for item_id, score in self.inner.search(query, limit)]
            self._new[key] = found
        return list(found)

    def save(self) -> None:
        """Keep this run's replays (only when something was replayed afresh)."""
        if self.path is None or self._new.keys() == self._old.keys():
            return
        import json
        import os

        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_name(f"{self.FILE}.{os.getpid()}.tmp")
        scratch.write_text(json.dumps({"revision": self.revision, "replays": self._new}), encoding="utf-8")
        os.replace(scratch, self.path)
