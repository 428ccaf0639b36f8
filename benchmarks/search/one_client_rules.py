"""What session 41's two rules of "one client cannot teach search on its own" cost real learning,
on the store an ``http_loop.py --keep DIR`` run left (paired, in-process, the same snapshot):

    python benchmarks/search/one_client_rules.py --keep DIR [--tune] [--set second --data PATH]
        [--spread 7,30] [--seed 41]

1. **The vote's band** (``nearest.MARGIN``): the learned snapshot of DIR's store is built once
   (the service's code: ``learned.model.learn``, its embeddings); each scored query (half B, or
   A2 with ``--tune``, as ``http_loop.py`` scored them) is ranked with the band's votes and with
   the whole neighbourhood's (the rule before session 41: ``margin`` infinite), in-process
   (``learned.ranking.search`` on the run's own build output). Per query: won / lost at hit@1
   and hit@5 (the band's against the whole neighbourhood's), with paired.py's two-sided sign
   test, and the queries whose votes changed at all.
2. **Epochs spread over days** (``--spread``): the same journeys, each given one of D days
   (seeded, uniform), as if the traffic had come over D days: the salt and so the epoch is new
   every day, and a tie's clients are counted within one epoch. Learned ties kept and hit@1 /
   hit@5 of the scored queries, against the run's one epoch (D = 1). Each journey of the loop
   comes from its own address, so a client is never seen on two days here: the loss measured is
   the rule's price on honest traffic, not a client lost.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
import paired  # noqa: E402


class Voting:
    """What ``learned.ranking.search`` reads of a snapshot, with another vote rule."""

    def __init__(self, learned, nearest):
        self.settings, self.nearest = learned.settings, nearest

    def votes(self, query: str) -> dict[str, float]:
        return self.nearest.votes(query)


def snapshot(engine, spread_days: int = 1, seed: int = 41):
    """The service's snapshot of the store (``learn``), its evidence's epochs spread over
    ``spread_days`` days (one per journey, seeded) when more than one."""
    from carebase.learned import model
    from carebase.learned.journeys import evidence as read_evidence
    from carebase.learned.nearest import meaning_or_none
    from carebase.learned.refresh import _cache_path
    from carebase.search.vector_cache import VectorCache

    meaning = meaning_or_none()
    if meaning is None:
        sys.exit("no embedding model: the service's learned ranking uses one by default")
    path = _cache_path()
    memo = model.VectorMemo(meaning.embed_queries, meaning.model_id(), cache=VectorCache(path) if path else None)
    if spread_days <= 1:
        return model.learn(engine, memo=memo, embed_query=meaning.embed_query)
    rng = random.Random(seed * 1000 + spread_days)
    day: dict[str, int] = {}

    def spread(conn, **kw):
        for ev in read_evidence(conn, **kw):
            d = day.setdefault(ev.journey, rng.randrange(spread_days))
            yield replace(ev, client=None if ev.client is None else (f"day-{d}", ev.client[1]))

    saved = model.evidence
    model.evidence = spread
    try:
        return model.learn(engine, memo=memo, embed_query=meaning.embed_query)
    finally:
        model.evidence = saved


def rank(searcher, voting, queries) -> list[list[str]]:
    from carebase.learned.ranking import search

    return [[h.id for h in search(searcher, voting, q.text[:200], limit=10, snippets=False).hits] for q in queries]


def won_lost(base: list[list[str]], new: list[list[str]], queries, depth: int) -> tuple[int, int]:
    won = lost = 0
    for b, n, q in zip(base, new, queries):
        hb, hn = q.target in b[:depth], q.target in n[:depth]
        won += hn and not hb
        lost += hb and not hn
    return won, lost


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", required=True, type=Path, help="the folder an http_loop.py --keep run left")
    ap.add_argument("--tune", action="store_true", help="the run was http_loop.py --tune: score A2")
    ap.add_argument("--spread", default="7,30", help="days to spread the journeys' epochs over (comma list; '' none)")
    ap.add_argument("--seed", type=int, default=41)
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)

    from carebase.learned.nearest import NearestWordings
    from carebase.output.live import LiveOutput
    from carebase.store.engine import open_engine

    queries = harness.query_set(args).queries()
    half_a = [q for q in queries if q.half == "A"]
    if args.tune:  # http_loop.py's split (seed 12)
        order = list(range(len(half_a)))
        random.Random(12).shuffle(order)
        scored = [half_a[i] for i in order[len(half_a) // 2:]]
    else:
        scored = [q for q in queries if q.half == "B"]
    engine = open_engine(f"sqlite:///{args.keep / 'feedback.db'}", migrate=False)
    searcher = LiveOutput(args.keep / "site-data").searcher()
    print(f"one-client rules on {args.keep}: {len(scored)} scored queries; load {os.getloadavg()[0]:.1f}",
          file=sys.stderr)
    started = time.perf_counter()
    learned = snapshot(engine)
    n = learned.nearest
    whole = NearestWordings(n.records, n.vectors, n.thresholds, k=n.k, min_similarity=n.min_similarity,
                            margin=math.inf)
    changed = sum(n.votes(q.text[:200]) != whole.votes(q.text[:200]) for q in scored)
    band_ranks = rank(searcher, Voting(learned, n), scored)
    whole_ranks = rank(searcher, Voting(learned, whole), scored)
    print(f"| vote rule | hit@1 | hit@5 | hit@1 won / lost (p) | hit@5 won / lost (p) | votes changed |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    mw, mb = harness.metrics(whole_ranks, scored), harness.metrics(band_ranks, scored)
    print(f"| whole neighbourhood (before) | {mw['hit@1']:.3f} | {mw['hit@5']:.3f} | | | |")
    w1, l1 = won_lost(whole_ranks, band_ranks, scored, 1)
    w5, l5 = won_lost(whole_ranks, band_ranks, scored, 5)
    print(f"| band {n.margin} | {mb['hit@1']:.3f} | {mb['hit@5']:.3f} | {w1} / {l1} ({paired.sign_test(w1, l1):.3g}) | "
          f"{w5} / {l5} ({paired.sign_test(w5, l5):.3g}) | {changed} of {len(scored)} |")
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    days = [int(d) for d in args.spread.split(",") if d.strip()]
    if days:
        print()
        print("| journeys' epochs over | ties kept | wordings | hit@1 | hit@5 | hit@1 won / lost vs 1 day | hit@5 won / lost |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        print(f"| 1 day (the run) | {len(learned.ties):,} | {len(n):,} | {mb['hit@1']:.3f} | {mb['hit@5']:.3f} | | |")
        for d in days:
            spread = snapshot(engine, d, args.seed)
            ranks = rank(searcher, Voting(spread, spread.nearest), scored)
            m = harness.metrics(ranks, scored)
            w1, l1 = won_lost(band_ranks, ranks, scored, 1)
            w5, l5 = won_lost(band_ranks, ranks, scored, 5)
            print(f"| {d} days | {len(spread.ties):,} | {len(spread.nearest):,} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | "
                  f"{w1} / {l1} | {w5} / {l5} |")
    print(f"({time.perf_counter() - started:.0f} s; load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
