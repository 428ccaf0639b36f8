"""Held-out topics: does the report depend on the order the journeys were played in?
(benchmarks/RESULTS.md, "Held-out topics: session 38".) ``play`` ranks half A once and plays it
twice through ``held_out_topics.py``'s own steps, into ROOT/file/heldout-SEED (the data file's
order: BANKING77's is intent by intent) and ROOT/mixed/heldout-SEED (``--order-seed``:
``play.interleaved``); make each report with ``held_out_topics.py --seed SEED --keep DIR
--report-only``, then ``compare`` lists every report.json difference between the two, row by
row in the missing-content section.

    python benchmarks/search/held_out_order.py play SEED --order-seed N [--root DIR] [--set … --data …]
    python benchmarks/search/held_out_order.py compare SEED... [--root DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gap_loop  # noqa: E402
import harness  # noqa: E402
import play  # noqa: E402
from held_out_topics import remove, removed_articles  # noqa: E402

ROW_FIELDS = ("rank", "label", "status", "failed", "counted", "clients", "all_queries", "closest", "action",
              "topic_id", "repeats", "twin_of")


def play_both(seed: int, order_seed: int, root: Path, args) -> None:
    from carebase.content import load_catalogue
    from carebase.search import semantic

    chosen = harness.query_set(args)
    queries = [q for q in chosen.queries() if q.half == "A"]
    catalogue = chosen.catalogue()
    removed = removed_articles(catalogue, seed, round(0.2 * len(catalogue.articles)))
    hybrid = semantic.available()
    base = root / f"rank-{seed}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    shutil.copytree(chosen.helpcentre, base / "content")
    remove(base / "content", load_catalogue(base / "content"), removed)
    ranked = gap_loop.rank(base / "content", [q.text for q in queries], base / "scratch", hybrid=hybrid, jobs=2)
    played = [(q, ids, total) for q, (ids, total) in zip(queries, ranked["hybrid" if hybrid else "lexical"])]
    for tag, order in (("file", None), ("mixed", order_seed)):
        work = root / tag / f"heldout-{seed}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.copytree(base / "content", work / "content")
        (work / "round").mkdir()
        _, outcome = play.play(played, load_catalogue(work / "content"), seed=seed, vote_rate=0.5,
                               work=work / "round", order_seed=order)
        done = {k: getattr(outcome, k) for k in ("clicked", "clicked_low", "browsed_voted", "browsed_silent")}
        (work / "journeys.json").write_text(json.dumps(done))
        (work / "played.json").write_text(json.dumps({"seed": seed, "order_seed": order}))
        print(f"{tag} {seed}: {done}, {outcome.accepted} events stored", flush=True)


def row_view(row: dict) -> dict:
    out = {f: row.get(f) for f in ROW_FIELDS}
    out["all_queries"] = sorted((q["query"], q["count"]) for q in row.get("all_queries", []))
    out["closest"] = (row.get("closest") or {}).get("id")
    out["repeats"] = (row.get("repeats") or {}).get("rank")
    out["twin_of"] = (row.get("twin_of") or {}).get("rank")
    return out


def compare(seed: int, root: Path) -> int:
    """Prints every difference; returns how many report rows differ."""
    a, b = (json.loads((root / tag / f"heldout-{seed}" / "round" / "report" / "report.json").read_text())
            for tag in ("file", "mixed"))
    differ = 0
    for section in ("clusters", "filled", "poor_answers"):
        xa, xb = a["missing"][section], b["missing"][section]
        for n, (ra, rb) in enumerate(zip(xa, xb), 1):
            va, vb = row_view(ra), row_view(rb)
            if va != vb:
                differ += 1
                print(f"  {section} row {n}: {[f for f in ROW_FIELDS if va[f] != vb[f]]}")
        differ += abs(len(xa) - len(xb))
        print(f"{seed} {section}: {len(xa)} / {len(xb)} rows")
    ignored = {"generated", "source", "content_root"}
    other = [k for k in a if k not in ignored and a[k] != b.get(k)]
    if "backlog" in other and {k for k in a["backlog"] if a["backlog"][k] != b["backlog"].get(k)} <= {"checked_ms"}:
        other.remove("backlog")  # when the backlog was checked: the report's own clock
    print(f"{seed}: {differ} rows differ; other parts of report.json that differ: {other or 'none'} "
          f"(not compared: {sorted(ignored)}, the backlog's checked_ms)")
    return differ + len(other)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("play")
    p.add_argument("seed", type=int)
    p.add_argument("--order-seed", type=int, required=True)
    p.add_argument("--root", default="/tmp/mixed/order")
    harness.add_set_arguments(p)
    c = sub.add_parser("compare")
    c.add_argument("seeds", type=int, nargs="+")
    c.add_argument("--root", default="/tmp/mixed/order")
    args = ap.parse_args(argv)
    if args.command == "play":
        play_both(args.seed, args.order_seed, Path(args.root), args)
        return 0
    return 1 if sum(compare(s, Path(args.root)) for s in args.seeds) else 0


if __name__ == "__main__":
    raise SystemExit(main())
