"""What the shared-neighbour gate (``topics.group(neighbours=(K, rho))``) adds to the report's grouping
(session 46, `topics`): ``topics.group`` on kept inputs (``held_out_apart_words.py report …
--keep-inputs``), the gate off and on in turn in one process (off, on, off, on …), CPU and wall of
each call, medians and the median of the pairs' differences.

The inputs given are joined into one (their wordings, meaning and word rows stacked) and cut to the
first ``--size`` wordings (default ``MAX_EMBED`` = 2,000: the most any store groups, whatever its size,
``missing._bounded``), so the figure is the step's cost at the 1 M report's size.

    python benchmarks/search/neighbour_gate_cost.py IN/3.pkl IN/6.pkl --pairs 10 --option 30,0.6

Session 47: with ``--kept-apart`` the report's order step is timed too, the rule for the rows the gate
kept apart off and on (``topic_order.order`` as ``missing._repeats_last`` calls it, with
``missing.kept_apart_pairs``, on the gated grouping's ``MAX_CLUSTERS`` largest rows), alternating the same
way; the grouping's figure then holds the gate's marking of the rows it kept apart.

Session 48: with ``--split`` the split pass is timed instead of the gate (``topics.group(split=(K,
rho))``: its own neighbour graph, every row cut along its widest spread and its halves' closeness).

Session 48 (`rank`): with ``--neighbour-repeats`` only the report's order step is timed, on the
default grouping's (no gate) ``MAX_CLUSTERS`` largest rows, second rows recognised by their
wordings' neighbours off and on (``topic_order.order``'s ``near`` at ``--option``, with
``topic_order.neighbour_closeness`` made afresh each call: the neighbour graph of every wording and
each row's closeness to the rows above), alternating the same way.

    python benchmarks/search/neighbour_gate_cost.py IN/3.pkl IN/6.pkl --pairs 10 --neighbour-repeats

Session 49 (`rank`): ``--against-no-floor`` makes the *off* arm the rule without its floor on two rows'
average linkage (as session 48 shipped it, ``neighbour_closeness(…, None)``), so on − off is the floor's
own cost; *on* is the shipped setting's (``topic_evidence.NEIGHBOUR_REPEATS``).

    python benchmarks/search/neighbour_gate_cost.py IN/3.pkl IN/6.pkl --pairs 10 --neighbour-repeats --against-no-floor
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
from pathlib import Path

import numpy as np


def joined(paths: list[Path], size: int):
    """(wordings, matrix, args, kwargs) of the inputs stacked, the first ``size`` wordings."""
    kept = [pickle.loads(p.read_bytes()) for p in paths]
    wordings = [w for k in kept for w in k["wordings"]][:size]
    matrix = np.vstack([k["matrix"] for k in kept])[:size]
    kwargs = dict(kept[0]["kwargs"])
    kwargs.pop("neighbours", None)
    if kwargs.get("words") is not None:
        kwargs["words"] = np.vstack([k["kwargs"]["words"] for k in kept])[:size]
    return wordings, matrix, kept[0]["args"], kwargs


def main(argv=None) -> int:
    from carebase.report import missing, topics

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--option", default="30,0.6", help="K,RHO: the gate's setting")
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--size", type=int, default=missing.MAX_EMBED)
    ap.add_argument("--kept-apart", action="store_true", help="also time the order step's rule for rows the gate kept apart")
    ap.add_argument("--split", action="store_true", help="time the split pass (topics.group's split) instead of the gate")
    ap.add_argument("--neighbour-repeats", action="store_true",
                    help="time only the order step, second rows recognised by their wordings' neighbours off and on")
    ap.add_argument("--against-no-floor", action="store_true",
                    help="with --neighbour-repeats: off is the rule without its average-linkage floor (session 48's)")
    args = ap.parse_args(argv)
    k, rho = args.option.split(",")
    setting = (int(k), float(rho))
    wordings, matrix, a, kwargs = joined(args.inputs, args.size)
    if args.neighbour_repeats:
        print(f"{len(wordings)} wordings from {len(args.inputs)} inputs; {args.pairs} pairs, off then on", flush=True)
        near_step(wordings, matrix, a, kwargs, setting, args.pairs, args.against_no_floor)
        return 0
    print(f"{len(wordings)} wordings from {len(args.inputs)} inputs; {args.pairs} pairs, off then on", flush=True)
    cpu: dict = {"off": [], "on": []}
    wall: dict = {"off": [], "on": []}
    topics.group(wordings, matrix, *a, **kwargs)  # warm-up, not counted
    for _ in range(args.pairs):
        for name, option in (("off", None), ("on", setting)):
            c0, w0 = time.process_time(), time.perf_counter()
            topics.group(wordings, matrix, *a, **kwargs, **{"split" if args.split else "neighbours": option})
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - w0)
    report(cpu, wall, "grouping" + (" (split pass)" if args.split else ""))
    if args.kept_apart:
        order_step(wordings, matrix, a, kwargs, setting, args.pairs)
    return 0


def report(cpu: dict, wall: dict, step: str) -> None:
    for label, d in (("CPU", cpu), ("wall", wall)):
        diffs = [on - off for off, on in zip(d["off"], d["on"])]
        print(f"{step} {label}: off median {statistics.median(d['off']):.4f} s, on {statistics.median(d['on']):.4f} s, "
              f"added (median of pairs) {statistics.median(diffs):.4f} s [{min(diffs):.4f} … {max(diffs):.4f}]")


def order_step(wordings, matrix, a, kwargs, setting, pairs: int) -> None:
    """The report's order of the gated grouping's rows without and with the kept-apart rule."""
    from carebase.report import missing, topic_evidence, topic_order, topics

    found, _ = topics.group(wordings, matrix, *a, **kwargs, neighbours=setting)
    listed = sorted(found, key=lambda t: -t.failed)[:missing.MAX_CLUSTERS]
    centres = np.stack([t.centre for t in listed])
    failed = [t.failed for t in listed]
    (threshold, discount), twins = topic_evidence.REPEATS["embedding"], topic_evidence.TWINS["embedding"]
    credit = topic_evidence.REPEATS_CREDIT["embedding"]
    cpu: dict = {"off": [], "on": []}
    wall: dict = {"off": [], "on": []}
    for _ in range(pairs):
        for name in ("off", "on"):
            c0, w0 = time.process_time(), time.perf_counter()
            kept = frozenset(missing.kept_apart_pairs(listed)) if name == "on" else frozenset()
            topic_order.order(centres, threshold, failed, discount, frozenset(), twins, {}, credit, kept)
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - w0)
    print(f"{len(listed)} rows, {sum(len(t.kept_apart) for t in listed)} kept-apart marks")
    report(cpu, wall, "order")


def near_step(wordings, matrix, a, kwargs, setting, pairs: int, against_no_floor: bool = False) -> None:
    """The report's order of the default grouping's rows without and with second rows recognised by
    their wordings' neighbours (the closeness made afresh each time, as a report makes it; *on* with the
    shipped floor). ``against_no_floor``: *off* is the rule without the floor."""
    from carebase.report import missing, topic_evidence, topic_order, topics

    found, _ = topics.group(wordings, matrix, *a, **kwargs)
    listed = sorted(found, key=lambda t: -t.failed)[:missing.MAX_CLUSTERS]
    centres = np.stack([t.centre for t in listed])
    failed = [t.failed for t in listed]
    (threshold, discount), twins = topic_evidence.REPEATS["embedding"], topic_evidence.TWINS["embedding"]
    credit = topic_evidence.REPEATS_CREDIT["embedding"]
    cpu: dict = {"off": [], "on": []}
    wall: dict = {"off": [], "on": []}
    neighboured: dict = {}
    for _ in range(pairs):
        for name in ("off", "on"):
            c0, w0 = time.process_time(), time.perf_counter()
            if name == "on" or against_no_floor:
                floor = topic_order.SHIPPED if name == "on" else None
                near = (topic_order.neighbour_closeness(listed, wordings, matrix, setting[0], floor), setting[1])
            else:
                near = None
            neighboured = {}
            topic_order.order(centres, threshold, failed, discount, frozenset(), twins, {}, credit, frozenset(),
                              near, neighboured)
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - w0)
    print(f"{len(listed)} rows, {len(neighboured)} recognised by their wordings' neighbours")
    report(cpu, wall, "order")


if __name__ == "__main__":
    sys.exit(main())
