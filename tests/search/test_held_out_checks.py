"""The held-out-topics scorer's checks (benchmarks/search/held_out_checks.py, session 49): on a
planted report, what "found" and "covered gaps" cannot see is counted (a need shown as two
rows, a wrong and a right repeat flag, a twin flag on one need, an impure top-20 row, the
found rows' purity) and the line's own figures stay what the scorer gave before the checks.
``--score-only`` scores a kept report without running it again, and refuses the wrong seed or set."""

from __future__ import annotations

import json
import shutil
import sys
import types
from pathlib import Path

import pytest

SEARCH_BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "search"
if str(SEARCH_BENCH) not in sys.path:
    sys.path.append(str(SEARCH_BENCH))  # last: its material.py must not hide mkdocs-material

import harness  # noqa: E402

_PATH = list(sys.path)
import held_out_topics  # noqa: E402

sys.path[:] = _PATH  # it and gap_loop put benchmarks/search first: its material.py would hide mkdocs-material

A, B, C = "article:x/a", "article:x/b", "article:x/c"  # removed
D, E, F = "article:x/d", "article:x/e", "article:x/f"  # covered


def wordings(need: str, n: int) -> list[dict]:
    return [{"query": f"{need} wording {i}", "count": 1} for i in range(n)]


def row(rank, needs: dict, status="gap", **links) -> dict:
    queries = [q for need, n in needs.items() for q in wordings(need, n)]
    return {"rank": rank, "status": status, "label": f"row {rank}", "failed": sum(needs.values()),
            "queries": queries[:3], "all_queries": queries, "closest": None, "topic_id": f"topic:{rank}",
            **{k: {"rank": v, "label": f"row {v}", "topic_id": f"topic:{v}"} for k, v in links.items()}}


def planted() -> tuple[dict, list, list[str]]:
    """20 top rows and two below: A split in rows 1 and 4, C's pure row demoted to 21 by a wrong
    repeat flag (→ #2, B's), B's second row 22 rightly flagged a repeat of #2, A's third row 23
    wrongly (A is found above), B's row 9 wrongly flagged a repeat of #1 inside the top 20 (no demotion),
    row 24 impure below the top 20, row 7 flagged a twin
    of row 6 though both are E, row 8 (F) a right twin of row 3 (D), row 5 mixed C 6 + E 4."""
    rows = [row(1, {A: 30}), row(2, {B: 25}), row(3, {D: 20}), row(4, {A: 18}), row(5, {C: 6, E: 4}),
            row(6, {E: 9}, status="findability"), row(7, {E: 8}, twin_of=6), row(8, {F: 7}, twin_of=3)]
    rows += [row(9, {B: 5}, repeats=1)] + [row(r, {f"article:y/{r}": 5}) for r in range(10, 21)]
    rows += [row(21, {C: 4}, repeats=2), row(22, {B: 3}, repeats=2), row(23, {A: 3}, repeats=2), row(24, {D: 2, E: 2})]
    rows[20]["repeats"]["neighbours"] = 0.7  # C's flag made by its wordings' neighbours
    report = {"missing": {"clusters": rows, "filled": [], "poor_answers": []}}
    needs = {A, B, C, D, E, F} | {f"article:y/{r}" for r in range(10, 21)}
    queries = [types.SimpleNamespace(text=q["query"], target=need) for need in sorted(needs)
               for q in wordings(need, 40)]
    return report, queries, [A, B, C]


def test_the_checks_count_what_found_cannot_see():
    report, queries, removed = planted()
    result = held_out_topics.scored(report, queries, removed)
    checks = result["checks"]
    assert [(n["need"], n["ranks"], n["removed"]) for n in checks["rows_per_need"]] == [
        (A, [1, 4], True), (B, [2, 9], True), (E, [6, 7], False)]
    assert checks["needs_in_several_rows"] == 3
    assert checks["repeat_flags"] == {"right": 1, "wrong": 3, "unknown": 0}
    assert checks["twin_flags"] == {"right": 1, "wrong": 1, "unknown": 0}
    wrong = [(f["kind"], f["rank"], f["need"], f["points_at"], f["points_at_need"]) for f in checks["flags"]
             if f["verdict"] == "wrong"]
    assert wrong == [("twin_of", 7, E, 6, E), ("repeats", 9, B, 1, A), ("repeats", 21, C, 2, B), ("repeats", 23, A, 2, B)]
    assert (checks["demoted_removed"], checks["demoted_missed"]) == (2, 1)  # below 20 only; only C's flag cost a find
    assert checks["neighbour_repeat_flags"] == {"right": 0, "wrong": 1, "unknown": 0}
    assert [(f["rank"], f["share_there"]) for f in checks["flags"] if f["kind"] == "repeats"] == [
        (9, 0.0), (21, 0.0), (22, 1.0), (23, 0.0)]  # C's and A's wordings are none of row 2's
    assert [(r["rank"], r["purity"]) for r in checks["impure_rows"]] == [(5, 0.6)]  # not row 24: below 20
    assert checks["impure_rows"][0]["mix"] == {f"{C} (removed)": 6, f"{E} (covered)": 4}
    assert checks["found_purity"] == {A: 1.0, B: 1.0}
    printed = "\n".join(held_out_topics.held_out_checks.summary(checks))
    assert "needs shown as ≥ 2 top-20 rows: 3" in printed and "right 1, wrong 3" in printed
    assert "WRONG repeats (neighbours): row 21 article:x/c (removed) purity 1.00 → #2 article:x/b" in printed
    assert "of them by the wordings' neighbours: right 0, wrong 1" in printed


def test_the_line_figures_are_those_of_the_scorer_before_the_checks():
    """Pinned from bb272890's score() on this planted report: found A and B (C's only top-20
    row is impure, its pure row is 21st), covered gaps D, E (row 7), F and the eleven others."""
    report, queries, removed = planted()
    result = held_out_topics.scored(report, queries, removed)
    assert (result["found"], result["found_share"], result["covered_gaps"]) == (2, 0.667, 14)
    assert {a: (t["found"], t["row"]["rank"]) for a, t in result["per_topic"].items()} == {
        A: (True, 1), B: (True, 2), C: (False, 5)}
    assert [(r["rank"], r["majority"], r["purity"]) for r in result["rows"][:9]] == [
        (1, A, 1.0), (2, B, 1.0), (3, D, 1.0), (4, A, 1.0), (5, C, 0.6), (6, E, 1.0), (7, E, 1.0), (8, F, 1.0),
        (9, B, 1.0)]
    assert {k: v for k, v in result.items() if k != "checks"} == held_out_topics.score(report, queries, removed)


@pytest.fixture
def kept(tmp_path):
    """A kept second-set run: planted CLINC150 data, DIR/content without seed 5's six removed
    articles, DIR/played.json, and a report whose first row is a removed need's, its second a
    wrong repeat of the first (another removed need's)."""
    intents = harness.load_intents(harness.SETS["second"][0])
    data = tmp_path / "data_full.json"
    data.write_text(json.dumps({"train": [[f"{name} question {i}", name] for name in intents for i in range(8)],
                                "val": [], "test": [], "oos_train": [], "oos_val": [], "oos_test": []}))
    chosen = harness.QuerySet("second", harness.SETS["second"][0] / "helpcentre", harness.SETS["second"][0], str(data))
    catalogue = chosen.catalogue()
    removed = held_out_topics.removed_articles(catalogue, 5, 6)
    keep = tmp_path / "keep"
    shutil.copytree(chosen.helpcentre, keep / "content")
    held_out_topics.remove(keep / "content", catalogue, removed)
    (keep / "played.json").write_text(json.dumps({"seed": 5, "order_seed": None, "set": "second"}))
    half_a = [q for q in chosen.queries() if q.half == "A"]
    first, second = ([q.text for q in half_a if q.target == need] for need in removed[:2])
    report = {"missing": {"filled": [], "poor_answers": [], "clusters": [
        {"rank": 1, "status": "gap", "label": "one", "failed": len(first), "closest": None, "topic_id": "t1",
         "queries": [], "all_queries": [{"query": q, "count": 1} for q in first]},
        {"rank": 2, "status": "gap", "label": "two", "failed": len(second), "closest": None, "topic_id": "t2",
         "queries": [], "all_queries": [{"query": q, "count": 1} for q in second], "repeats": {"rank": 1}}]}}
    (keep / "round" / "report").mkdir(parents=True)
    (keep / "round" / "report" / "report.json").write_text(json.dumps(report))
    return keep, data, removed


def test_score_only_scores_a_kept_report_without_running_it(kept, tmp_path, capsys):
    keep, data, removed = kept
    before = sorted(p.relative_to(keep) for p in keep.rglob("*"))
    out = tmp_path / "scored.json"
    assert held_out_topics.main(["--set", "second", "--data", str(data), "--keep", str(keep), "--score-only",
                                 "--json", str(out)]) == 0
    assert sorted(p.relative_to(keep) for p in keep.rglob("*")) == before  # nothing written into DIR
    result = json.loads(out.read_text())
    assert (result["seed"], result["found"], result["removed"]) == (5, 2, 6)  # the seed from played.json
    assert result["checks"]["repeat_flags"] == {"right": 0, "wrong": 1, "unknown": 0}
    printed = capsys.readouterr().out
    assert "removed topics found (own top-20 row, gap, purity ≥ 0.8): 2 of 6" in printed
    assert f"WRONG repeats: row 2 {removed[1]} (removed) purity 1.00 → #1 {removed[0]}" in printed


def test_score_only_refuses_another_seed_or_set(kept):
    keep, data, _ = kept
    with pytest.raises(SystemExit) as stop:
        held_out_topics.main(["--set", "second", "--data", str(data), "--keep", str(keep), "--score-only",
                              "--seed", "6"])
    assert "--seed 6" in str(stop.value) and "played.json" in str(stop.value) and "seed 5" in str(stop.value)
    (keep / "played.json").write_text(json.dumps({"seed": 5}))
    with pytest.raises(SystemExit) as stop:  # the first set's articles: none of them is in DIR/content
        held_out_topics.main(["--keep", str(keep), "--score-only"])
    assert str(keep / "content") in str(stop.value) and "pass the run's --set" in str(stop.value)
    with pytest.raises(SystemExit) as stop:
        held_out_topics.main(["--set", "second", "--data", str(data), "--keep", str(keep), "--score-only",
                              "--report", str(keep / "nowhere.json")])
    assert "nowhere.json" in str(stop.value) and "no carebase report" in str(stop.value)
