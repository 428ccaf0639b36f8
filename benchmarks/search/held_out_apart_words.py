"""Held-out topics (issue 12, session 42, `topics`): the distinguishing-word guard in the merge
pass, measured on copies of the development stores' real runs.

``report`` makes each store's report with this process's ``carebase`` (``PYTHONPATH`` picks the
code: a snapshot of main for *shipped*, the worktree for the guard), in this process, keeping
what ``topics.group`` was given (the wordings, their meaning and word vectors, the settings), and
scores it as ``held_out_topics.py`` scores (own top-20 row, gap, purity ≥ 0.8; covered gaps).
``--gate K,RHO`` switches carebase's shared-neighbour gate on for the run
(``topic_evidence.NEIGHBOURS``; session 46), ``--kept-apart`` its rule for the rows it kept apart
(``topic_evidence.KEPT_APART``: no twin exception across such a pair; session 47), ``--split K,RHO``
its split pass (``topic_evidence.SPLIT``: a row whose halves' neighbours part is two rows; session 48),
``--neighbour-repeats`` / ``--no-neighbour-repeats`` a second row recognised by its wordings' neighbours
on at (30, 0.6, 0.4) / off (``topic_evidence.NEIGHBOUR_REPEATS``, on by default since session 48),
``--neighbour-repeats-floor F|none`` its floor on the two rows' average linkage (session 49; none: the
rule as session 48 shipped it, bb272890).
``--guard H,L,M`` puts the guard in place for the run (``apart_words_guard``: the merge and
fragments passes as measured, with the test; ``carebase`` itself is unchanged).

The store is copied from ``--source`` (the development stores as played, never written) into
``--root`` once; the report's vector cache and search replays (keyed by model and text, and by
query and index revision: they do not depend on the grouping) are copied in from ``--warm`` when
present, so a report does not embed every wording again.

``evidence`` reads the kept grouping inputs and lists, for the settings given, every merge the
guard refuses in each store: its two sides' intents (from the data set's labels), the words that
told them apart, and whether it kept two intents apart (a (d) row) or split one.

    python benchmarks/search/held_out_apart_words.py report SEED... --root DIR --out DIR [--guard H,L,M]
    python benchmarks/search/held_out_apart_words.py report SEED... --out DIR --keep-inputs --inputs-only
    python benchmarks/search/held_out_apart_words.py evidence SEED... --out DIR --guard H,L,M
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import apart_words_guard  # noqa: E402
import harness  # noqa: E402
from held_out_topics import removed_articles, score  # noqa: E402
from held_out_twins import intents, run_report  # noqa: E402

FOLDS = ([20261203, 20261213, 20261214, 20261215, 20261216, 1, 2], list(range(3, 11)), list(range(11, 19)))
SOURCE = "/tmp/topics/devreal"
WARM = "/tmp/topics41/dev"
CACHED = ("vectors.sqlite", "replays.json")
SHIPPED_NEIGHBOUR_REPEATS = (30, 0.6, 0.4)  # ``--neighbour-repeats``: topic_evidence.NEIGHBOUR_REPEATS' shipped setting


def prepare(seed: int, root: Path, source: Path, warm: Path | None, played: Path | None = None,
            warmed: Path | None = None) -> Path:
    """A copy of the store played for ``seed`` (or of ``played``), its caches from ``warm`` (or ``warmed``)."""
    played = played or source / f"heldout-{seed}"
    warmed = warmed or (warm / f"heldout-{seed}" if warm is not None else None)
    store = root / played.name
    if not store.exists():
        shutil.copytree(played, store, symlinks=True)
        if warmed is not None:
            cache = store / "round" / "report" / ".cache" / "carebase"
            cache.mkdir(parents=True, exist_ok=True)
            for name in CACHED:
                old = warmed / "round" / "report" / ".cache" / "carebase" / name
                if old.exists():
                    shutil.copy2(old, cache / name)
    return store


class Grouped(BaseException):
    """``--inputs-only``: the report stops once ``topics.group`` has its inputs."""


def report(args) -> None:
    import carebase
    from carebase.report import topics

    print(f"carebase from {carebase.__file__}", flush=True)
    if args.gate or args.kept_apart or args.split or args.neighbour_repeats is not None \
            or args.neighbour_repeats_floor:  # carebase's own options
        from carebase.report import topic_evidence

        if args.split:  # "off": the pass off (its default: off since the session-48 review; "30,0.6" turns it on)
            topic_evidence.SPLIT["embedding"] = None if args.split == "off" else \
                tuple(t(x) for t, x in zip((int, float), args.split.split(",")))
            print(f"options: split {topic_evidence.SPLIT['embedding']}", flush=True)
        if args.gate:
            k, rho = args.gate.split(",")
            topic_evidence.NEIGHBOURS["embedding"] = (int(k), float(rho))
        if args.kept_apart:
            topic_evidence.KEPT_APART["embedding"] = True
        if args.neighbour_repeats is not None:  # session 48 (`rank`): on by default since
            topic_evidence.NEIGHBOUR_REPEATS["embedding"] = SHIPPED_NEIGHBOUR_REPEATS if args.neighbour_repeats else None
        if args.neighbour_repeats_floor and topic_evidence.NEIGHBOUR_REPEATS["embedding"] is not None:  # session 49
            k, rho = topic_evidence.NEIGHBOUR_REPEATS["embedding"][:2]
            floor = None if args.neighbour_repeats_floor == "none" else float(args.neighbour_repeats_floor)
            topic_evidence.NEIGHBOUR_REPEATS["embedding"] = (k, rho, floor)
        print(f"options: neighbours {topic_evidence.NEIGHBOURS['embedding']}, kept apart {topic_evidence.KEPT_APART['embedding']}, "
              f"neighbour repeats {topic_evidence.NEIGHBOUR_REPEATS['embedding']}", flush=True)
    if args.guard:
        apart_words_guard.install(tuple(float(x) for x in args.guard.split(",")))
    if args.neighbours:  # session 44: the grouping on neighbourhoods (neighbour_grouping)
        import neighbour_grouping
        setting = tuple(float(x) for x in args.neighbours.split(","))
        regroup = None
        if args.regroup:  # session 45: K,SHARE, the final rows' wordings moved to their neighbours' row
            regroup = tuple(float(x) for x in args.regroup.split(","))
        neighbour_grouping.install(setting, regroup=regroup)
        print(f"neighbours {setting}" + (f", regroup {regroup}" if regroup else ""), flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    chosen = harness.query_set(args)
    queries = [q for q in chosen.queries() if q.half == "A"]
    catalogue = chosen.catalogue()
    for seed in args.seeds:
        store = prepare(seed, Path(args.root), Path(args.source), Path(args.warm) if args.warm else None,
                        Path(args.store) if args.store else None, Path(args.warm_store) if args.warm_store else None)
        rd = store / "round" / "report"
        for name in ("report.json",):
            (rd / name).unlink(missing_ok=True)
        for remembered in (rd / ".cache" / "carebase").glob("topics-*.json"):
            remembered.unlink()  # no earlier run's topic ids: each variant starts as the first report
        kept: dict = {}
        group = topics.group

        def keep_group(wordings, matrix, *a, **k):
            kept.update(wordings=wordings, matrix=matrix, args=a, kwargs=k)
            if args.inputs_only:
                raise Grouped
            return group(wordings, matrix, *a, **k)

        topics.group = keep_group
        t0 = time.time()
        try:
            rep = run_report(store, lambda top, *a: top)
        except Grouped:
            rep = None
        finally:
            topics.group = group
        if args.keep_inputs:
            (out / f"{seed}.pkl").write_bytes(pickle.dumps(kept))
        if rep is None:
            print(f"{seed}: grouping inputs kept ({time.time() - t0:.0f} s)", flush=True)
            continue
        removed = removed_articles(catalogue, seed, round(0.2 * len(catalogue.articles)))  # as held_out_topics.py
        result = score(rep, queries, removed)
        (out / f"{seed}.json").write_text(json.dumps(result, indent=1))
        misses = [a for a, t in result["per_topic"].items() if not t["found"]]
        print(f"{seed}: found {result['found']} of {result['removed']}, covered gaps {result['covered_gaps']} "
              f"({time.time() - t0:.0f} s); misses {misses}", flush=True)


def evidence(args) -> None:
    from carebase.report import topics

    intent_of = intents()
    for seed in args.seeds:
        kept = pickle.loads((Path(args.out) / f"{seed}.pkl").read_bytes())
        wordings = kept["wordings"]
        refused: list = []
        apart_words_guard.install(tuple(float(x) for x in args.guard.split(",")), refused)
        shipped_kwargs = {k: v for k, v in kept["kwargs"].items() if k != "apart"}  # kept by the guard's product trial
        topics.group(wordings, kept["matrix"], *kept["args"], **shipped_kwargs)

        def mix(idx):
            c: Counter = Counter()
            for i in idx:
                for q, n in wordings[i].queries.items():
                    c[intent_of.get(" ".join(q.lower().split()), "?").split("/")[-1]] += n
            return c

        print(f"{seed}: {len(refused)} merges refused")
        for a, b, told in refused:
            ca, cb = mix(a), mix(b)
            ia, ib = ca.most_common(1)[0][0], cb.most_common(1)[0][0]
            kind = "one intent" if ia == ib else "two intents"
            print(f"  {kind}: {ia} {sum(ca.values())} / {ib} {sum(cb.values())}; words {told}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("report", "evidence"))
    ap.add_argument("seeds", nargs="+", type=int)
    ap.add_argument("--root", default="/tmp/topics42/dev")
    ap.add_argument("--source", default=SOURCE)
    ap.add_argument("--warm", default=WARM)
    ap.add_argument("--out", required=True)
    ap.add_argument("--store", help="one played store (with --set second / third: session 41's plays of 20261203)")
    ap.add_argument("--warm-store", help="the report of --store whose caches are copied in")
    harness.add_set_arguments(ap)
    ap.add_argument("--guard", default=None, help="H,L,M: the guard's settings (apart_words_guard.apart_words)")
    ap.add_argument("--neighbours", default=None, help="S,K,RHO: the grouping on neighbourhoods (session 44)")
    ap.add_argument("--regroup", default=None, help="with --neighbours: K,SHARE (session 45, neighbour_grouping.reassign)")
    ap.add_argument("--gate", default=None, help="K,RHO: carebase's shared-neighbour gate (topic_evidence.NEIGHBOURS)")
    ap.add_argument("--kept-apart", action="store_true",
                    help="carebase's rule for rows the gate kept apart (topic_evidence.KEPT_APART)")
    ap.add_argument("--split", default=None, help="K,RHO or off: carebase's split pass (topic_evidence.SPLIT; on by default)")
    ap.add_argument("--neighbour-repeats", dest="neighbour_repeats", action="store_true", default=None,
                    help="carebase's second rows recognised by their wordings' neighbours at the shipped "
                         "(30, 0.6, 0.4) (topic_evidence.NEIGHBOUR_REPEATS; session 48; on by default since)")
    ap.add_argument("--no-neighbour-repeats", dest="neighbour_repeats", action="store_false",
                    help="the same off (the order before session 48)")
    ap.add_argument("--neighbour-repeats-floor", dest="neighbour_repeats_floor", default=None,
                    help="F or none: the neighbour repeats' floor on two rows' average linkage (session 49; "
                         "none: the session-48 rule as bb272890 shipped it)")
    ap.add_argument("--keep-inputs", action="store_true", help="keep what topics.group was given (for evidence)")
    ap.add_argument("--inputs-only", action="store_true", help="with --keep-inputs: stop the report there")
    args = ap.parse_args(argv)
    (report if args.mode == "report" else evidence)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
