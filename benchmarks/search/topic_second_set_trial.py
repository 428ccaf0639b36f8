"""Session 32 (issue 12, held-out topics): the development-style grouping of
topic_join_trial.py on the **second set** (benchmarks/search/second_set, CLINC150's banking and
credit_cards queries): scored only, nothing chosen here (heldout's rule: no setting is changed on
this set). For each removal seed (6 of the 30 articles, ``random.Random(seed).sample`` as
held_out_topics.py draws them), half A's searches of the removed articles grouped as the report
groups them (no service, no replay, no gap label), ordered the shipped way, then by the
anchor-word setting chosen on all 40 development removals of the first set (fold and family),
and with the question words in the words part. Printed per variant: removed topics found (own
top-20 row, purity ≥ 0.8), the rows of at least 3 failed searches per removed topic (one topic, several rows: what the
second-set run in RESULTS shows a lead), and each topic's best row's share of its searches.

    python benchmarks/search/topic_second_set_trial.py --data PATH [--cache DIR] [SEED ...]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from held_out_topics import PURITY, TOP  # noqa: E402
from topic_calibration import wordings_of  # noqa: E402
from topic_join_trial import anchored, grouped, question_keys, shipped_order  # noqa: E402
from topic_words_calibration import row_intents  # noqa: E402

from carebase.report.build import make_normaliser  # noqa: E402
from carebase.report.missing import _lexical  # noqa: E402
from carebase.report.topic_vectors import open_embeddings  # noqa: E402

SEEDS = [20263201, 20263202, 20263203, 20263204, 20263205] + list(range(1, 21))
MIN_ROW = 3  # rows of at least this many failed searches count as a row a lead reads
UPPER_BOUND = (0.8, 0.02, 0.6)  # topic_join_trial.py's best on all 40 first-set development removals


def measure(rows, intents, removed) -> tuple[int, float, float]:
    counts = row_intents(rows, intents)
    total = {a: sum(c[a] for c in counts) for a in removed}
    found, per_topic, best = 0, [], []
    for a in removed:
        own = [c for c in counts[:TOP] if c.most_common(1)[0][0] == a and c[a] / sum(c.values()) >= PURITY]
        found += bool(own)
        per_topic.append(sum(c.most_common(1)[0][0] == a and sum(c.values()) >= MIN_ROW for c in counts))
        best.append(max((c[a] for c in counts), default=0) / max(1, total[a]))
    return found, float(np.mean(per_topic)), float(np.median(best))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="CLINC150's data_full.json")
    ap.add_argument("--cache", metavar="DIR")
    ap.add_argument("seeds", nargs="*", type=int)
    args = ap.parse_args(argv)
    qs = harness.QuerySet("second", harness.SECOND / "helpcentre", harness.SECOND, args.data)
    catalogue = qs.catalogue()
    normaliser = make_normaliser(catalogue)
    queries = [q for q in qs.queries() if q.half == "A"]
    wordings, intents = wordings_of(normaliser, queries)
    meaning = open_embeddings(args.cache).encode([w.label() for w in wordings], [w.key for w in wordings])
    lexical = _lexical(normaliser, wordings, catalogue)
    words = lexical.encode_keys([w.key for w in wordings])
    words_q = question_keys(lexical, wordings)
    ids = sorted(a.id for a in catalogue.articles)
    n = round(0.2 * len(ids))
    majority = [intents[w.key].most_common(1)[0][0] for w in wordings]
    seeds = args.seeds or SEEDS
    print(f"second set: {len(queries)} half-A queries, {len(wordings)} wordings, {n} of {len(ids)} removed per seed, "
          f"seeds {seeds[0]} … ({len(seeds)})")
    print("| variant | found | seeds with a miss | rows of ≥ 3 failed searches per removed topic (mean) | best row's share of a topic's searches (median of seed medians) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    variants = [("shipped", lambda f: shipped_order(f), False), ("question words 0.15", lambda f: shipped_order(f), True),
                ("anchor words, fold", lambda f: anchored(f, UPPER_BOUND + ("fold",)), False),
                ("anchor words, family", lambda f: anchored(f, UPPER_BOUND + ("family",)), False)]
    for name, order, questions in variants:
        found, misses, rows, best = 0, 0, [], []
        for seed in seeds:
            removed = set(random.Random(seed).sample(ids, n))
            sel = [i for i, mj in enumerate(majority) if mj in removed]
            space = words_q if questions else words
            f, r, b = measure(order(grouped([wordings[i] for i in sel], meaning[sel], space[sel])), intents, removed)
            found += f
            misses += f < n
            rows.append(r)
            best.append(b)
        print(f"| {name} | {found} of {n * len(seeds)} | {misses} | {np.mean(rows):.2f} | {np.median(best):.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
