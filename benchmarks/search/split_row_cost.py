"""What the split pass costs for one big row (reader R5, session 48: the cut's n × n Gram matrix made one
row of 2,000 wordings cost ~5 CPU-s): ``topic_split.halves`` (the cut) and ``topic_split.closeness`` (the
halves judged, a big row as a row of ``JUDGED_AT`` × K wordings) on one row of n wordings, CPU seconds,
the median of ``--repeat`` runs. The row is random unit rows as wide as the report's (meaning 384 and
words ``topic_vectors.DIMENSIONS``), the whole grouping at most ``MAX_EMBED`` wordings (the most a report
embeds): the row and, when it is smaller, other wordings around it, with the neighbour graph at (30, 0.6).

    python benchmarks/search/split_row_cost.py 500 1000 2000 --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from carebase.report import topic_neighbours, topic_split
from carebase.report.topic_vectors import DIMENSIONS, MAX_EMBED


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="+", type=int, help="wordings in the row")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--setting", default="30,0.6", help="K,RHO of the neighbour graph")
    args = ap.parse_args()
    k, rho = args.setting.split(",")
    rng = np.random.default_rng(0)
    for n in args.sizes:
        total = max(n, MAX_EMBED)
        rows = rng.standard_normal((total, 384 + DIMENSIONS)).astype(np.float32)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        gate = topic_neighbours.gate(rows, np.ones(total, dtype=bool), (int(k), float(rho)))
        idx = np.arange(n)
        weights = np.ones(n)
        cut, judge = [], []
        for _ in range(args.repeat):
            t = time.process_time()
            label = topic_split.halves(rows[idx], weights)
            cut.append(time.process_time() - t)
            t = time.process_time()
            topic_split.closeness(gate, rows, np.ones(total, dtype=bool), idx[label == 0].tolist(), idx[label == 1].tolist())
            judge.append(time.process_time() - t)
        print(f"{n} wordings in one row (of {total} grouped): cut {statistics.median(cut):.3f} s, judged "
              f"{statistics.median(judge):.3f} s, together {statistics.median(a + b for a, b in zip(cut, judge)):.3f} s CPU "
              f"(median of {args.repeat})", flush=True)


if __name__ == "__main__":
    main()
