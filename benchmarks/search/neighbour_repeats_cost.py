"""The CPU of the report's order step with second rows recognised by their wordings' neighbours
(``topic_order.order``'s ``near`` at the shipped (30, 0.6, 0.4), ``topic_order.neighbour_closeness``
made afresh each call, the graph included) on random stores of many rows: the worst case for the
rule's cost, which grows with the rows the order compares (each row against every row listed
above it). Session 48 (`fixread`, reader R1).

Each size is WORDINGS random unit vectors (384 wide, as the meaning model's) cut into rows of
WORDINGS / ROWS wordings (``--rows``; default: rows of 2, the most rows those wordings make), ranked
as if each held its place's failed searches, with the shipped repeat, twin and credit settings.
Prints the order step's CPU seconds (``time.process_time``, median of ``--runs``) and how many
rows it lists as repeats (the same on any code that keeps the rule's results).

    python benchmarks/search/neighbour_repeats_cost.py 500 1000 2000 3000
    python benchmarks/search/neighbour_repeats_cost.py 2000 --rows 300
"""

from __future__ import annotations

import argparse
import statistics
import time
from types import SimpleNamespace

import numpy as np

from carebase.report import topic_order
from carebase.report.topic_evidence import NEIGHBOUR_REPEATS, REPEATS, REPEATS_CREDIT, TWINS


def run(wordings: int, rows: int, seed: int = 0) -> tuple[float, int]:
    rng = np.random.default_rng(seed)
    matrix = rng.standard_normal((wordings, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    members = [object() for _ in range(wordings)]
    cuts = np.linspace(0, wordings, rows + 1).astype(int)
    listed = [SimpleNamespace(members=members[a:b]) for a, b in zip(cuts, cuts[1:])]
    centres = np.stack([matrix[a:b].mean(axis=0) for a, b in zip(cuts, cuts[1:])])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    (threshold, discount), twins, credit = REPEATS["embedding"], TWINS["embedding"], REPEATS_CREDIT["embedding"]
    k, rho = NEIGHBOUR_REPEATS["embedding"][:2]
    start = time.process_time()
    near = (topic_order.neighbour_closeness(listed, members, matrix, k, topic_order.floor_of(NEIGHBOUR_REPEATS["embedding"])), rho)
    _, rep = topic_order.order(centres, threshold, list(range(rows, 0, -1)), discount, frozenset(), twins, {},
                               credit, frozenset(), near, {})
    return time.process_time() - start, sum(r is not None for r in rep)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wordings", type=int, nargs="+")
    parser.add_argument("--rows", type=int, help="rows the wordings are cut into (default: rows of 2)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for n in args.wordings:
        rows = args.rows or n // 2
        results = [run(n, rows) for _ in range(args.runs)]
        cpu = statistics.median(t for t, _ in results)
        print(f"{n} wordings, {rows} rows: order step {cpu:.2f} s CPU, {results[0][1]} repeats", flush=True)


if __name__ == "__main__":
    main()
