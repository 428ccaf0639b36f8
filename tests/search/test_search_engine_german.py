"""German questions with a separated verb are answered by the fast engine, exactly as the Whoosh
reference answers them: same hits, order, scores (1e-6 relative), strong flags and counts.

Such a question's verb clause holds "the verb and its prefix anywhere in one item"
(``query._apart_query``, a Whoosh ``And``); until session 48 the fast engine did not evaluate it
and the whole query ran through Whoosh's matchers (RESULTS "Session 47 (`lang`)", cost). Every
German question of the benchmark sets (benchmarks/search: the demo's and the German harness's) is
compared on the demo's and the harness's German indexes; the fast engine must evaluate each
itself (``Searcher._evaluate`` is None only for a query it leaves to Whoosh)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
import yaml

from carebase.content.languages import Languages
from carebase.content.translations import load_languages
from carebase.search.index import build_index, open_index, write_records
from carebase.search.query import Searcher
from carebase.search.records import catalogue_records
from test_search_engine import _check

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "benchmarks" / "search"
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))  # last: its material.py must not hide mkdocs-material

import harness  # noqa: E402


def _german(root: Path):
    ml = load_languages(root, Languages(("en", "de"))).published()
    return ml.catalogues["de"], ml.catalogues["en"]


def _pair(root: Path, folder: Path):
    german, english = _german(root)
    build_index(german, folder, source=english)
    return Searcher(open_index(folder), german), Searcher(open_index(folder), german, engine="whoosh")


def _yml(name: str):
    return yaml.safe_load((BENCH / name).read_text(encoding="utf-8"))


def _questions() -> dict[str, list[str]]:
    """help centre → every German question of the benchmark sets asked of it."""
    demo = [q["q"] for q in _yml("separable_de.yml")["demo"]]
    for name in ("separable_de_confirm.yml", "separable_de_confirm2.yml", "separable_de_confirm3.yml"):
        demo += [q["q"] for q in _yml(name)["questions"]]
    demo += [q["q"] for q in _yml("ask_demo_questions.yml")["de"]] + [q["q"] for q in _yml("ask_everyday.yml")["de"]]
    helpcentre = [q["q"] for q in _yml("separable_de.yml")["harness"]] + \
        [" ".join(q.split()) for qs in _yml("queries.de.yml").values() for q in qs]  # the German harness's
    return {"demo": list(dict.fromkeys(demo)), "harness": list(dict.fromkeys(helpcentre))}


@pytest.fixture(scope="module")
def german(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("de-engine")
    return {"demo": _pair(REPO / "content", tmp / "demo"), "harness": _pair(harness.HELPCENTRE, tmp / "harness")}


def _apart(searcher: Searcher, q: str) -> bool:
    """Whether the query holds a verb and its prefix apart in one item (an ``And``)."""
    return any(c.apart for c in searcher.build_query(q)[1])


def test_the_reset_question_is_scored_by_the_fast_engine_as_whoosh_scores_it(german):
    fast, ref = german["demo"]
    q = "wie setze ich das thermostat zurück"
    query, _ = fast.build_query(q)
    assert _apart(fast, q) and fast._evaluate(query) is not None  # the fast engine's own evaluation
    res = _check(fast.search(q, limit=10), ref.search(q, limit=10), q, {})
    assert res.hits[0].id == "article:troubleshooting/factory-reset"


def test_a_part_that_is_in_no_item_still_counts_its_siblings_term_matchers(german):
    """*herunter* is in no German item: "lade … herunter" matches nothing apart, but Whoosh builds
    the intersection all the same and the coordination counts *lad*'s term matchers: every score
    of the query depends on it (before the fix the engine's scores were 1–6 % lower)."""
    fast, ref = german["demo"]
    q = "wie lade ich die app herunter"
    assert _apart(fast, q) and "herunt" not in fast.vocabulary.stems
    assert fast._evaluate(fast.build_query(q)[0]) is not None
    res = _check(fast.search(q, limit=10), ref.search(q, limit=10), q, {})
    assert len(res.hits) == 10


@pytest.mark.slow
@pytest.mark.parametrize("where", ["demo", "harness"])
def test_every_german_benchmark_question_ranks_as_the_whoosh_reference(german, where, reference_scores_once):
    fast, ref = german[where]
    apart = 0
    for i, q in enumerate(_questions()[where]):
        query, _ = fast.build_query(q)
        assert query is None or fast._evaluate(query) is not None, q  # never left to Whoosh
        apart += _apart(fast, q)
        _check(fast.search(q, limit=10), ref.search(q, limit=10), q, {"limit": 10})
        _check(fast.search(q, kind=("article", "faq")[i % 2], limit=5), ref.search(q, kind=("article", "faq")[i % 2],
               limit=5), q, {"kind": i % 2})
        _check(fast.search(q, limit=10, complete_last=True), ref.search(q, limit=10, complete_last=True), q,
               {"complete_last": True})
    assert apart >= {"demo": 14, "harness": 5}[where]  # the sets hold such questions (20 of 277 in session 47)
    # each question's query scored once by the reference for its three searches (its completed query is
    # another only where a completion adds words): both functions kept for every query
    assert 2 * len(_questions()[where]) <= len(reference_scores_once) <= 2 * 2 * len(_questions()[where])


@pytest.mark.slow
def test_a_german_index_in_two_segments_ranks_the_same(tmp_path):
    """Whoosh counts the coordination per segment. The German demo's 30 records and seven copies
    (each its own key and id, the copies without their body, so a word of a body is in one segment
    and not the other) written by two processes: Whoosh's batches of 100 make two segments."""
    german, english = _german(REPO / "content")
    records = list(catalogue_records(german, english))
    records += [dataclasses.replace(r, key=f"{r.key}~{n}", id=f"{r.id}~{n}", body="")
                for n in range(1, 8) for r in records]
    write_records(records, tmp_path / "ix", synonyms=german.synonyms, procs=2, language="de")
    fast = Searcher(open_index(tmp_path / "ix"), german)
    ref = Searcher(open_index(tmp_path / "ix"), german, engine="whoosh")
    assert len(fast.fast.segments) >= 2
    apart = [q for q in _questions()["demo"] if _apart(fast, q)]
    assert len(apart) >= 14
    for q in apart:
        assert fast._evaluate(fast.build_query(q)[0]) is not None, q
        _check(fast.search(q, limit=10), ref.search(q, limit=10), q, {"limit": 10})
