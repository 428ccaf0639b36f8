"""Tried in session 30, not shipped (benchmarks/RESULTS.md, "Held-out topics: session 30"): how
much each of the two remaining held-out misses could give, and whether a row's own evidence
tells them, on the development removals of topic_words_calibration.py (seeds 1 … 40, 15
articles each, half A only; never half B or a declared held-out seed). No report change.

* ``--headroom``: removed topics found with the shipped grouping and order, and with two
  oracles that know each wording's intent: (A) every second row of a need ranked after every
  first row (a perfect *likely repeat* rule); (B) every row split into one row per intent of
  its wordings (a perfect split of near-duplicate pairs), ranked by failed searches; A and B.
  And two orders without a threshold, tried in place of the repeat rule: each row's failed
  searches × (1 − its centre cosine to the most similar larger row) (*novelty*), and the same
  chosen greedily, the cosine taken to the rows already listed (maximal marginal relevance).
* ``--split``: direction 1 (both halves of a pair removed): for each top-20 row, every stem
  held by 20–80 % of its failed searches splits it (the wordings holding it, the rest); the
  split's meaning gap (each part's average linkage with itself, the smaller, minus their
  average linkage with each other) is compared with ``PERMUTATIONS`` random splits of the same
  row into parts of the same sizes (a z-score: what a random split of one intent gives). The
  best z per row, and the other part's most exclusive word (its share there minus in the first
  part); the AUC of telling the impure rows (purity < 0.8) from the pure ones by each.
* ``--evidence``: direction 2 (small pure rows just below the 20th): rows of 3–25 failed
  searches among each seed's 60 largest, a *second row* when a larger row has its majority
  intent; the AUC of telling second rows from first rows by the centre cosine to the nearest
  larger row (the shipped repeat rule's evidence), that cosine over the larger row's
  tightness, the row's tightness, its wordings, the share of its largest wording, and the
  largest share of a stem the nearer row (almost) lacks (words of its own); with ``--work DIR``
  (topic_evidence_calibration.py's cached hybrid top 10 of every half-A query over the whole
  help centre, made there when absent, a few minutes) also what its customers were shown: the
  cosine of the rank-weighted (1/rank) counts of the top ``SHOWN`` results still in the help
  centre, against the nearest larger row's and the most similar larger row's, alone and
  blended with the centre cosine (a quarter).

    python benchmarks/search/topic_headroom_trial.py --headroom|--split|--evidence [--cache DIR] [--work DIR]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from held_out_topics import PURITY, REMOVED, TOP  # noqa: E402
from topic_calibration import development_arguments, development_embeddings, development_wordings  # noqa: E402
from topic_linkage_trial import counts_of, purity, shipped_topics  # noqa: E402
from topic_words_calibration import found_removed  # noqa: E402


PERMUTATIONS = 60
SHOWN = 3
SPLIT_SHARE = 0.2


def auc(scores, positive) -> float:
    """P(a positive scores higher than a negative)."""
    s, p = np.asarray(scores, dtype=np.float64), np.asarray(positive, dtype=bool)
    return float((s[p][:, None] > s[~p][None, :]).mean())


def majority(members, intents) -> str:
    return counts_of(members, intents).most_common(1)[0][0]


def headroom(samples, intents) -> None:
    def score(name, ordered_rows):
        per = [found_removed(rows, intents, removed, ordered=True)[0] for removed, rows in ordered_rows]
        print(f"| {name} | {sum(per) / (REMOVED * len(per)):.3f} | {sum(n < REMOVED - 1 for n in per)} | {min(per)} |")

    print("| order | found (mean share) | seeds < 14 of 15 | worst seed |\n| --- | ---: | ---: | ---: |")
    shipped, oracle_a, oracle_b, oracle_ab = [], [], [], []
    for _, removed, ws, m, w in samples:
        by_failed, ordered = shipped_topics(ws, m, w)
        shipped.append((removed, [[x.key for x in t.members] for t in ordered]))
        split = []
        for t in by_failed:
            parts: dict[str, list] = {}
            for x in t.members:
                parts.setdefault(intents[x.key].most_common(1)[0][0], []).append(x)
            split += list(parts.values())
        split.sort(key=lambda ms: -sum(x.failed for x in ms))
        for target, groups in ((oracle_a, [t.members for t in by_failed]), (oracle_ab, split)):
            seen, firsts, seconds = set(), [], []
            for ms in groups:
                mj = majority(ms, intents)
                (seconds if mj in seen else firsts).append([x.key for x in ms])
                seen.add(mj)
            target.append((removed, firsts + seconds))
        oracle_b.append((removed, [[x.key for x in ms] for ms in split]))
    novelty, greedy = [], []
    for _, removed, ws, m, w in samples:
        by_failed = shipped_topics(ws, m, w)[0]
        centres = np.stack([t.centre for t in by_failed])
        failed = np.array([t.failed for t in by_failed], dtype=np.float64)
        sims = centres @ centres.T
        near = np.array([max(0.0, sims[i, :i].max()) if i else 0.0 for i in range(len(by_failed))])
        order = sorted(range(len(by_failed)), key=lambda i: (-failed[i] * (1 - near[i]), i))
        novelty.append((removed, [[x.key for x in by_failed[i].members] for i in order]))
        left, chosen, best = list(range(len(by_failed))), [], np.zeros(len(by_failed))
        while left:
            j = max(left, key=lambda i: (failed[i] * (1 - best[i]), -i))
            chosen.append(j)
            left.remove(j)
            best = np.maximum(best, np.maximum(0.0, sims[j]))
        greedy.append((removed, [[x.key for x in by_failed[i].members] for i in chosen]))
    score("shipped (failed searches, likely repeats ranked lower)", shipped)
    score("novelty: failed × (1 − cosine to the most similar larger row)", novelty)
    score("greedy novelty (maximal marginal relevance)", greedy)
    score("oracle A: second rows after first rows", oracle_a)
    score("oracle B: rows split by intent, by failed searches", oracle_b)
    score("oracle A and B", oracle_ab)


def _linkage(a, wa, b, wb) -> float:
    return float((wa[:, None] * a).sum(0) @ (wb[:, None] * b).sum(0)) / (float(wa.sum()) * float(wb.sum()))


def _within(v, w) -> float:
    s = (w[:, None] * v).sum(0)
    pairs = float(w.sum()) ** 2 - float(w @ w)
    return (float(s @ s) - float(w @ w)) / pairs if pairs > 0 else 1.0


def _gap(v, w, mask) -> float:
    a, b = mask, ~mask
    return min(_within(v[a], w[a]), _within(v[b], w[b])) - _linkage(v[a], w[a], v[b], w[b])


def _shares(members) -> tuple[Counter, float]:
    c: Counter = Counter()
    for x in members:
        for s in set(x.key):
            c[s] += x.failed
    return c, float(max(1, sum(x.failed for x in members)))


def split(samples, intents) -> None:
    rng = random.Random(30)
    impure, best_z, best_ex, good = [], [], [], 0
    for _, removed, ws, m, w in samples:
        local = {id(x): i for i, x in enumerate(ws)}
        for t in shipped_topics(ws, m, w)[1][:TOP]:
            mem = t.members
            bad = purity(counts_of(mem, intents)) < PURITY
            z_best, ex_best, ok_best = -9.0, -9.0, False
            if len(mem) >= 4:
                v = m[[local[id(x)] for x in mem]]
                wt = np.sqrt(np.maximum(1, np.array([x.failed for x in mem], dtype=np.float64)))
                counts, total = _shares(mem)
                for stem, n in counts.items():
                    if not SPLIT_SHARE <= n / total <= 1 - SPLIT_SHARE:
                        continue
                    mask = np.array([stem in x.key for x in mem])
                    if mask.sum() < 2 or (~mask).sum() < 2:
                        continue
                    null = []
                    for _ in range(PERMUTATIONS):
                        pm = np.zeros(len(mem), dtype=bool)
                        pm[rng.sample(range(len(mem)), int(mask.sum()))] = True
                        null.append(_gap(v, wt, pm))
                    z = (_gap(v, wt, mask) - float(np.mean(null))) / (float(np.std(null)) + 1e-9)
                    if z > z_best:
                        ca, ta = _shares([x for x, k in zip(mem, mask) if k])
                        cb, tb = _shares([x for x, k in zip(mem, mask) if not k])
                        ex_best = max(cb[s] / tb - ca.get(s, 0) / ta for s in cb)
                        pa = counts_of([x for x, k in zip(mem, mask) if k], intents)
                        pb = counts_of([x for x, k in zip(mem, mask) if not k], intents)
                        ok_best = (purity(pa) >= PURITY and purity(pb) >= PURITY
                                   and pa.most_common(1)[0][0] != pb.most_common(1)[0][0])
                        z_best = z
            impure.append(bad)
            best_z.append(z_best)
            best_ex.append(ex_best)
            good += bad and ok_best
    print(f"top-20 rows: {sum(impure)} impure, {len(impure) - sum(impure)} pure; impure rows whose best split "
          f"gives two pure parts of two intents: {good}")
    print(f"AUC impure vs pure, best split's z against {PERMUTATIONS} random splits: {auc(best_z, impure):.3f}; "
          f"the other part's most exclusive word: {auc(best_ex, impure):.3f}")
    z = np.array(best_z)[~np.array(impure)]
    print(f"pure rows' best z: median {np.median(z):.1f}, 90th percentile {np.percentile(z, 90):.1f}, max {z.max():.1f}")


def _shown(t, ranked, removed) -> Counter:
    out: Counter = Counter()
    for x in t.members:
        for query, n in x.queries.items():
            for rank, item in enumerate([i for i in ranked.get(query, []) if i not in removed][:SHOWN], 1):
                out[item] += n / rank
    return out


def _cos(a: Counter, b: Counter) -> float:
    norm = float(np.sqrt(sum(v * v for v in a.values())) * np.sqrt(sum(v * v for v in b.values())))
    return sum(v * b.get(k, 0) for k, v in a.items()) / norm if norm else 0.0


def evidence(samples, intents, ranked=None) -> None:
    rows = []
    for _, removed, ws, m, w in samples:
        seen, above = set(), []
        for t in shipped_topics(ws, m, w)[0][:60]:
            mj = majority(t.members, intents)
            counts, total = _shares(t.members)
            shown = _shown(t, ranked, removed) if ranked is not None else None
            if above and 3 <= t.failed <= 25:
                sims = [float(t.centre @ a.centre) for a, _, _ in above]
                near, near_counts, near_shown = above[int(np.argmax(sims))]
                near_total = float(max(1, near.failed))
                own = max((n / total for s, n in counts.items() if near_counts.get(s, 0) / near_total < 0.05), default=0.0)
                rows.append({"second": mj in seen, "centre cosine to the nearest larger row": max(sims),
                             "… over that row's tightness": max(sims) / near.tightness(),
                             "tightness": t.tightness(), "wordings": len(t.members),
                             "largest wording's share": t.members[0].failed / t.failed,
                             "largest share of a word of its own": own})
                if shown is not None:
                    most = max(_cos(shown, b) for _, _, b in above)
                    rows[-1].update({"shown results vs the nearest larger row's": _cos(shown, near_shown),
                                     "shown results vs the most similar larger row's": most,
                                     "0.75 × centre cosine + 0.25 × the latter": 0.75 * max(sims) + 0.25 * most})
            seen.add(mj)
            above.append((t, counts, shown))
    second = [r["second"] for r in rows]
    print(f"{len(rows)} rows of 3-25 failed searches, {sum(second)} second rows")
    print("| evidence | AUC, second rows higher |\n| --- | ---: |")
    for key in rows[0]:
        if key != "second":
            print(f"| {key} | {auc([r[key] for r in rows], second):.3f} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--headroom", action="store_true")
    what.add_argument("--split", action="store_true")
    what.add_argument("--evidence", action="store_true")
    development_arguments(ap)
    ap.add_argument("--work", metavar="DIR", help="--evidence: half A's hybrid rankings (cached here)")
    args = ap.parse_args(argv)
    embeddings = development_embeddings(args.cache)
    wordings, intents, meaning, words, ids, majority_of = development_wordings(embeddings)
    samples = []
    for seed in range(1, args.seeds + 1):
        removed = set(random.Random(seed).sample(ids, REMOVED))
        sel = [i for i, mj in enumerate(majority_of) if mj in removed]
        samples.append((seed, removed, [wordings[i] for i in sel], meaning[sel], words[sel]))
    if args.evidence:
        ranked = None
        if args.work:
            import harness
            from topic_evidence_calibration import ranked_half_a

            queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"]
            ranked = ranked_half_a(Path(args.work), queries)
        evidence(samples, intents, ranked)
    else:
        (headroom if args.headroom else split)(samples, intents)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
