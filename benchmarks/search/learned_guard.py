"""The learned ranking's demo guard (session 48, `learn`; audit 47 A4).

    python benchmarks/search/learned_guard.py [--seeds 7,1,2] [--keep DIR] [--explain FILE] [--empty] [--stores KEPT]

For each seed, the README's simulated traffic (``simulate_events.py``: 20,000 journeys over 56
days on the demo's ``content/``) is written to a fresh SQLite store, a ``carebase service`` is
started on it as ``http_loop.py`` starts one (the demo's build output, learning every 5 s), and
once it has learned from every event the questions of ``learned_guard.yml`` are asked through
``GET /api/v1/search``: hit@1 and hit@5 against each question's right items. ``--empty``: the
same service on an empty store (no learning: the base ranking). ``--explain FILE``: the
neighbours ``GET /api/v1/learned/explain`` lists for each question, as JSON lines. ``--stores
KEPT``: serve copies of the stores an earlier run kept (``--keep``) instead of simulating them
again, so two codes are compared on the same events.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import http_loop  # noqa: E402
import simulate_events  # noqa: E402

REPO = HERE.parents[1]
QUESTIONS = HERE / "learned_guard.yml"


def questions() -> list[dict]:
    return yaml.safe_load(QUESTIONS.read_text())["questions"]


def score(service, asked: list[dict]) -> tuple[list[dict], dict]:
    rows = []
    for n, entry in enumerate(asked):
        ids, _ = service.search(entry["q"], http_loop.client_address(300_000 + n))
        right = {entry["right"], *entry.get("also", [])}
        rank = next((i + 1 for i, item in enumerate(ids) if item in right), None)
        rows.append({"q": entry["q"], "top": ids[:3], "rank": rank})
    hit1 = sum(r["rank"] == 1 for r in rows)
    hit5 = sum(r["rank"] is not None and r["rank"] <= 5 for r in rows)
    return rows, {"questions": len(rows), "hit@1": hit1, "hit@5": hit5}


def explain(service, q: str) -> dict:
    r = service.http.get("/api/v1/learned/explain", params={"q": q},
                         headers={"Authorization": f"Bearer {http_loop.TOKEN}"})
    r.raise_for_status()
    return r.json()


def run_seed(seed: int | None, work: Path, args, asked: list[dict]) -> dict:

    from carebase.store.engine import open_engine

    work.mkdir(parents=True)
    db = work / "feedback.db"
    if seed is not None and args.stores:
        for name in ("feedback.db", "feedback.db-wal", "feedback.db-shm"):
            kept = args.stores / f"seed-{seed}" / name
            if kept.exists():
                shutil.copy2(kept, work / name)
    elif seed is not None:
        open_engine(f"sqlite:///{db}").dispose()  # the service's schema, as the README's first start makes it
        simulate_events.main(["--content", str(REPO / "content"), "--db", f"sqlite:///{db}", "--seed", str(seed)])
    service = http_loop.Service(work, REPO / "content", 0 if seed is None else args.learn_every, [])
    try:
        if seed is not None:
            http_loop.wait_for_refresh(service, int(time.time() * 1000) - 1000, timeout=args.relearn_timeout)
        rows, totals = score(service, asked)
        if args.explain and seed is not None:
            with open(args.explain, "a") as out:
                for entry in asked:
                    out.write(json.dumps({"seed": seed, **explain(service, entry["q"])}) + "\n")
    finally:
        service.stop()
    return {"seed": seed, "rows": rows, **totals}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="7,1,2", help="the simulator's seeds, one store each (7: the README's)")
    ap.add_argument("--empty", action="store_true", help="an empty store: the base ranking, nothing learned")
    ap.add_argument("--learn-every", type=float, default=5.0)
    ap.add_argument("--relearn-timeout", type=float, default=1800)
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--stores", type=Path, metavar="KEPT", help="copies of the stores a --keep run kept")
    ap.add_argument("--explain", metavar="FILE", help="append each question's neighbours here (JSON lines)")
    args = ap.parse_args(argv)
    asked = questions()
    root = Path(args.keep or tempfile.mkdtemp(prefix="carebase-guard-"))
    shutil.rmtree(root, ignore_errors=True)
    seeds = [None] if args.empty else [int(s) for s in args.seeds.split(",")]
    results = []
    for seed in seeds:
        result = run_seed(seed, root / f"seed-{'empty' if seed is None else seed}", args, asked)
        results.append(result)
        print(f"seed {result['seed']}: hit@1 {result['hit@1']}/{result['questions']}, "
              f"hit@5 {result['hit@5']}/{result['questions']}", file=sys.stderr)
    total = {k: sum(r[k] for r in results) for k in ("questions", "hit@1", "hit@5")}
    print(json.dumps({"total": total, "runs": results}))
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
