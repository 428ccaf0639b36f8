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
   test, and the queries whose votes changed at all (only those are ranked: the others rank
   alike). The change is won minus lost over the scored queries.
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


def paired_change(searcher, base, new, queries) -> dict:
    """Won / lost at hit@1 and hit@5 of ``new`` against ``base`` (two ``Voting``s): only the
    queries whose votes differ can rank differently, so only they are ranked (both ways)."""
    differ = [q for q in queries if base.votes(q.text[:200]) != new.votes(q.text[:200])]
    b, n = rank(searcher, base, differ), rank(searcher, new, differ)
    out = {"changed": len(differ)}
    for depth in (1, 5):
        won = sum(q.target in y[:depth] and q.target not in x[:depth] for x, y, q in zip(b, n, differ))
        lost = sum(q.target in x[:depth] and q.target not in y[:depth] for x, y, q in zip(b, n, differ))
        out[depth] = (won, lost, paired.sign_test(won, lost))
    return out


def cell(change: dict, depth: int, n: int) -> str:
    won, lost, p = change[depth]
    return f"{won} / {lost} ({(won - lost) / n:+.4f}, p {p:.2g})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", required=True, type=Path, help="the folder an http_loop.py --keep run left")
    ap.add_argument("--tune", action="store_true", help="the run was http_loop.py --tune: score A2")
    ap.add_argument("--spread", default="7,30", help="days to spread the journeys' epochs over (comma list; '' none)")
    ap.add_argument("--seed", type=int, default=41)
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)

    from functools import lru_cache

    from carebase.learned.nearest import EmbeddedVectors, NearestWordings
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
    n_q = len(scored)
    print(f"one-client rules on {args.keep}: {n_q} scored queries; load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    started = time.perf_counter()

    def cached(snap):
        """The snapshot with its query embeddings remembered (each query embedded once)."""
        v = snap.nearest.vectors
        if isinstance(v, EmbeddedVectors) and not hasattr(v.embed_query, "cache_info"):
            v.embed_query = embed
        return snap

    learned = snapshot(engine)
    embed = lru_cache(maxsize=None)(learned.nearest.vectors.embed_query)
    cached(learned)
    n = learned.nearest
    whole = NearestWordings(n.records, n.vectors, n.thresholds, k=n.k, min_similarity=n.min_similarity,
                            margin=math.inf)
    band = paired_change(searcher, Voting(learned, whole), Voting(learned, n), scored)
    print("| vote rule, against the whole neighbourhood's (before) | queries whose votes changed | "
          "hit@1 won / lost (change, sign test) | hit@5 won / lost |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| band {n.margin} | {band['changed']} of {n_q} | {cell(band, 1, n_q)} | {cell(band, 5, n_q)} |")
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    days = [int(d) for d in args.spread.split(",") if d.strip()]
    if days:
        print()
        print("| the journeys' epochs over | ties kept | wordings | queries whose votes changed | "
              "hit@1 won / lost vs 1 day | hit@5 won / lost |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        print(f"| 1 day (the run) | {len(learned.ties):,} | {len(n):,} | | | |")
        for d in days:
            spread = cached(snapshot(engine, d, args.seed))
            change = paired_change(searcher, Voting(learned, n), Voting(spread, spread.nearest), scored)
            print(f"| {d} days | {len(spread.ties):,} | {len(spread.nearest):,} | {change['changed']} of {n_q} | "
                  f"{cell(change, 1, n_q)} | {cell(change, 5, n_q)} |")
            sys.stdout.flush()
    print(f"({time.perf_counter() - started:.0f} s; load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
