"""What the nearest-wording vote's band check costs per item per query (``NearestWordings.
supported``, run for every item a query's neighbours vote for): the working tree's rule against
5d35a91's (every band start tried from scratch, copied below as the baseline), in alternating
rounds in one process, on the same neighbourhoods.

    python benchmarks/nearest_band_cost.py [--rounds 7] [--sizes 20,50,200]

Shapes, for each size N (the neighbours tied to one item; at most 200, ``CANDIDATES``):

* ``one-client``: one client's N wordings 0.001 apart, all within one band: never two clients,
  so every band fails (the reader's session-41 case: 5d35a91 tried all N starts);
* ``spread``: one client's N wordings 0.0015 apart and a second client at 0.25, out of every
  band: the whole list meets the thresholds, so every band is tried by both rules;
* ``honest``: N wordings of N clients 0.001 apart: the first band meets them.

Both rules must agree on every neighbourhood (checked before timing). Timing figures: record
them from a quiet machine or mark them loaded.
"""

from __future__ import annotations

import argparse
import statistics
import time

from carebase.learned.nearest import MARGIN, NearestWordings
from carebase.learned.ties import Thresholds, Wording, proven_clients


def every_band(tied, thresholds: Thresholds, margin: float = MARGIN) -> bool:
    """5d35a91's rule: every band start tried from scratch."""
    for i, (top, _) in enumerate(tied):
        journeys, clients = set(), set()
        for s, rec in tied[i:]:
            if s < top - margin - 1e-9:
                break
            journeys |= rec.journeys
            clients |= rec.clients
        if thresholds.met(len(journeys), proven_clients(clients)):
            return True
    return False


def shapes(n: int) -> dict[str, list]:
    one = [(0.9 - i * 0.001, Wording(f"w{i}", "article:x", {f"j{i}"}, {("e1", "c1")})) for i in range(n)]
    spread = [(0.9 - i * 0.0015, Wording(f"s{i}", "article:x", {f"k{i}"}, {("e1", "c1")})) for i in range(n)]
    spread.append((0.25, Wording("far", "article:x", {"far"}, {("e1", "c2")})))
    honest = [(0.9 - i * 0.001, Wording(f"h{i}", "article:x", {f"h{i}"}, {("e1", f"c{i}")})) for i in range(n)]
    return {"one-client": one, "spread": spread, "honest": honest}


def per_call(fn, tied, reps: int) -> float:
    start = time.perf_counter()
    for _ in range(reps):
        fn(tied)
    return (time.perf_counter() - start) / reps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sizes", default="20,50,200")
    args = parser.parse_args()
    thresholds = Thresholds(3, 2)
    new = NearestWordings([], None, thresholds).supported
    old = lambda tied: every_band(tied, thresholds)  # noqa: E731
    print("shape        N    5d35a91 µs   now µs   old/now")
    for n in (int(x) for x in args.sizes.split(",")):
        for name, tied in shapes(n).items():
            assert new(tied) == old(tied), (name, n)
            reps = max(3, 20_000 // (n * n))
            a, b = [], []
            for _ in range(args.rounds):  # alternating
                a.append(per_call(old, tied, reps))
                b.append(per_call(new, tied, reps))
            ma, mb = statistics.median(a) * 1e6, statistics.median(b) * 1e6
            print(f"{name:<11} {n:>4} {ma:>12.1f} {mb:>8.1f} {ma / mb:>9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
