"""How the suite's units would end on N workers, from a run's ``--durations=0`` log: each unit (a test
file, or a group of files sharing a set-up, tests/schedule_testkit.py GROUPS) takes the seconds its
tests took in that run, and is handed out in the scheduler's order (tests/durations.json's weights,
heaviest first) to the worker that is free first. Start-up, collection and the demo build's hold are
left out: it shows whether the last workers idle while one finishes a long unit (the tail).

    python benchmarks/suite_schedule.py CI.log [--workers 6]
"""

from __future__ import annotations

import argparse
import heapq
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from schedule_testkit import UNKNOWN_SECONDS_PER_TEST, load_weights, scope_of, weights_from_log  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path, help="the output of a pytest run with --durations=0")
    parser.add_argument("--workers", type=int, default=6)
    args = parser.parse_args(argv)
    seconds = weights_from_log(args.log.read_text(errors="replace"))
    if not seconds:
        parser.error(f"{args.log}: no '--durations=0' lines found")
    table = load_weights()
    took: dict[str, float] = {}
    weight: dict[str, float] = {}
    for path, s in seconds.items():
        unit = scope_of(path)
        took[unit] = took.get(unit, 0.0) + s
        weight[unit] = weight.get(unit, 0.0) + table.get(path, UNKNOWN_SECONDS_PER_TEST)
    free = [(0.0, n) for n in range(args.workers)]
    ends = [0.0] * args.workers
    for unit in sorted(took, key=lambda u: -weight[u]):
        at, n = heapq.heappop(free)
        ends[n] = at + took[unit]
        heapq.heappush(free, (ends[n], n))
    total = sum(took.values())
    print(f"{len(seconds)} files in {len(took)} units, {total:.0f} s of test phases: {total / args.workers:.1f} s "
          f"a worker on {args.workers}; the workers end at {', '.join(f'{e:.0f}' for e in sorted(ends))} s "
          f"(the last {max(ends) - total / args.workers:.1f} s after the mean)")
    print("largest units: " + "; ".join(f"{u} {s:.0f} s" for u, s in sorted(took.items(), key=lambda x: -x[1])[:5]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
