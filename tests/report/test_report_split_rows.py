"""The split pass through the real ``carebase report`` (``topic_evidence.SPLIT``, ``report.topic_split``):
twin needs worded alike that the grouping's first pass puts in one row ("change my user id", "I
forgot my user id") are two rows in report.json, the HTML report and report.md, each saying why
and what words tell it from the other; neither is listed as a likely repeat of the other; no
failed search is lost.

The store is planted (``report_testkit.PlantedStore``); the wordings' meaning is planted too
(``PlantedMeaning``, as test_report_twin_needs): two tight crowds of 36 wordings whose centres
are 0.8 alike (every wording near enough to the centre between them to join one row), and the
words are the customers' own ("change", "update" … against "forgot", "lost" …)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from report_testkit import PlantedStore, run_cli, search

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # a real `carebase report` run over the demo content
DIM = 96  # dimensions 0-47: the wordings' meanings; 48-95: the help centre's items (unrelated)

OBJECTS = ("my user id", "the user id", "my username", "my login id", "my user name", "my account id")
CHANGE = [f"{verb} {obj}" for verb in ("change", "update", "switch", "edit", "modify", "rename") for obj in OBJECTS]
FORGOT = [f"{verb} {obj}" for verb in ("forgot", "lost", "misplaced", "cannot recall", "do not remember", "cannot find")
          for obj in OBJECTS]


def _meaning() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    e = np.linalg.qr(rng.normal(size=(48, 48)))[0]
    out = {}
    for queries, centre in ((CHANGE, e[0]), (FORGOT, 0.8 * e[0] + 0.6 * e[1])):
        for q in queries:
            noise = rng.normal(size=48)
            noise -= (noise @ centre) * centre
            v = centre + 0.2 * noise / np.linalg.norm(noise)
            out[q] = np.concatenate([v / np.linalg.norm(v), np.zeros(48)]).astype(np.float32)
    return out


MEANING = _meaning()


class PlantedMeaning:
    """The report's embeddings with planted vectors: a wording's from ``MEANING``; an item's text one
    of dimensions 48-95 (no wording resembles an item: every row is a gap)."""

    kind = "embedding"
    name = "planted-meaning"
    embedded = 0

    def encode(self, texts, keys, kind="query"):
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            if kind == "query":
                out[row] = MEANING[" ".join(text.lower().split())]
            else:
                out[row, 48 + sum(map(ord, text)) % 48] = 1.0
        return out


def _report(tmp: Path, split) -> dict:
    from carebase.content import load_catalogue
    from carebase.output import open_output
    from carebase.report import missing, topic_evidence

    site_data = tmp / "site-data"
    open_output(site_data, load_catalogue(REPO / "content"))
    store = PlantedStore()
    for query in CHANGE + FORGOT:
        store.journey(search(query))
    url = store.write(tmp / "feedback.db")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(missing, "open_embeddings", lambda cache_dir=None: PlantedMeaning())
        if split != "shipped":
            patch.setitem(topic_evidence.SPLIT, "embedding", split)
        done = run_cli("--site-data", str(site_data), "--db", url, "--out", str(tmp / "report"),
                       "--cache", str(tmp / "cache"), "--format", "json,md,html", in_process=True)
    assert done.returncode == 0, done.stderr
    out = json.loads((tmp / "report" / "report.json").read_text())
    out["_md"] = (tmp / "report" / "report.md").read_text()
    out["_html"] = (tmp / "report" / "index.html").read_text()
    return out


def _needs(row: dict) -> set[str]:
    return {"change" if q["query"] in CHANGE else "forgot" for q in row["all_queries"]}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return {name: _report(tmp_path_factory.mktemp(name), split) for name, split in (("off", "shipped"), ("on", (30, 0.6)))}


def test_without_the_split_pass_as_shipped_the_twins_are_one_row(reports):
    rows = reports["off"]["missing"]["clusters"]
    assert [(_needs(r), r["failed"]) for r in rows] == [({"change", "forgot"}, 72)]
    assert "split" not in rows[0] and reports["off"]["missing"]["grouped_with"]["split"] is None


def test_the_split_pass_makes_two_rows_each_saying_why_and_neither_a_repeat_of_the_other(reports):
    report = reports["on"]
    rows = report["missing"]["clusters"]
    assert sorted((sorted(_needs(r)), r["failed"]) for r in rows) == [(["change"], 36), (["forgot"], 36)]
    assert report["missing"]["grouped_with"]["split"] == [30, 0.6]
    one, two = rows
    assert one["split"]["other"] == two["topic_id"] and two["split"]["other"] == one["topic_id"]
    assert one["split"]["closeness"] == two["split"]["closeness"] < 0.6
    change = next(r for r in rows if _needs(r) == {"change"})
    forgot = next(r for r in rows if _needs(r) == {"forgot"})
    only_forgot = {w for q in FORGOT for w in q.split()} - {w for q in CHANGE for w in q.split()}
    assert forgot["split"]["words"] and set(forgot["split"]["words"]) <= only_forgot  # the twin's own words
    assert change["split"]["other_words"] == forgot["split"]["words"]
    assert not any(k in r for r in rows for k in ("repeats", "with_repeats", "twin_of"))  # two needs, not a need and its repeat
    says = change["split"]["says"]
    assert change["why_grouped"][0] == says and says.startswith(f"split from one row with “{forgot['label']}”")
    assert says in report["_md"].replace("\\", "")
    assert f"split from one row with “{forgot['label']}”" in report["_html"].replace("&#x27;", "'")
