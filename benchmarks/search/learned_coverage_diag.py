"""How often a learned vote comes from a neighbour that shares only some of the query's words
(session 48, `learn`; audit 47 A4): a diagnosis of ``/api/v1/learned/explain`` answers.

    python benchmarks/search/learned_coverage_diag.py EXPLAIN DB [--ranks RANKS.json]

EXPLAIN: JSON lines or a JSON list of explain answers (``learned_guard.py --explain``,
``http_rescore.py --explain``); DB: the store they were learned from (its wordings give each
stem's IDF, as ``carebase.learned.coverage`` weighs them). For each query's voiced neighbours:
whether it shares none of the query's known stems (a paraphrase), all of them, or only some, and
the share of the query's known information it holds (``Coverage``). With ``--ranks`` (the same
queries' ``ranks.json``), hit@1 of the queries whose votes include such a neighbour.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter


def load(path: str) -> list[dict]:
    text = open(path).read().strip()
    return json.loads(text) if text.startswith("[") else [json.loads(line) for line in text.splitlines()]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("explain")
    ap.add_argument("db")
    ap.add_argument("--ranks")
    args = ap.parse_args(argv)
    from carebase.learned.coverage import Coverage, stems_of
    from carebase.learned.model import learn
    from carebase.store.engine import open_engine

    engine = open_engine(f"sqlite:///{args.db}", migrate=False)
    snap = learn(engine)  # the lexical snapshot: the same wordings, their texts
    cov = Coverage([r.text for r in snap.nearest.records])
    answers = load(args.explain)
    ranks = json.load(open(args.ranks)) if args.ranks else None
    kinds: Counter = Counter()
    vote_mass: Counter = Counter()
    partial_queries = low_queries = 0
    hit = Counter()
    for n, a in enumerate(answers):
        known = {s for s in stems_of(a["query"]) if s in cov.idf}
        total = sum(cov.idf[s] for s in known)
        has_partial = has_low = False
        for nb in a["neighbours"]:
            if not nb["voice"]:
                continue
            shared = known & stems_of(nb["wording"])
            if not known or not shared:
                kind = "no known stem shared (paraphrase)"
            elif shared == known:
                kind = "all known stems"
            else:
                share = sum(cov.idf[s] for s in shared) / total
                kind = "some stems, share < 0.5" if share < 0.5 else "some stems, share >= 0.5"
                has_partial = True
                has_low |= share < 0.5
            kinds[kind] += 1
            vote_mass[kind] += nb["similarity"]
        partial_queries += has_partial
        low_queries += has_low
        if ranks is not None:
            ids, target = ranks[n]["ids"], ranks[n]["target"]
            group = "with a partial neighbour" if has_partial else "without"
            hit[group, "n"] += 1
            hit[group, "hit@1"] += bool(ids) and ids[0] == target
    voiced = sum(kinds.values())
    print(f"{len(answers)} queries, {voiced} voiced neighbours", file=sys.stderr)
    for kind, count in kinds.most_common():
        print(f"  {kind}: {count} ({count / max(1, voiced):.1%} of voices, "
              f"{vote_mass[kind] / max(1e-9, sum(vote_mass.values())):.1%} of the similarity mass)", file=sys.stderr)
    print(f"  queries with a voice sharing only some known stems: {partial_queries} "
          f"({partial_queries / max(1, len(answers)):.1%}); with share < 0.5: {low_queries}", file=sys.stderr)
    for group in ("with a partial neighbour", "without"):
        if hit[group, "n"]:
            print(f"  hit@1 {group}: {hit[group, 'hit@1']}/{hit[group, 'n']} "
                  f"({hit[group, 'hit@1'] / hit[group, 'n']:.3f})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
