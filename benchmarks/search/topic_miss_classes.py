"""Session 32 (issue 12, held-out topics): every miss of the shipped grouping and order on the
development removals of topic_words_calibration.py (seeds 1 … 40, 15 articles each, half A
only; never half B or a declared held-out seed), classified by what a lead would see.

For each removed topic not found (no top-20 row with it as majority at purity ≥ 0.8):

* **where its searches went**: its own rows (majority, purity ≥ 0.8), its impure rows, and other
  topics' rows; its largest own row's share of its searches and how many own rows hold them;
* **why its own row is not in the top 20**: *ranked down* (its largest own row has at least the
  failed searches of the 20th row by failed searches alone, and the likely-repeat rule flagged
  it: a row of which topic it was said to repeat), *too small* (its largest own row is smaller
  than the 20th row's), *no own row* (impure or merged);
* the class: **split** (its largest own row holds < half of its searches, the rest in ≥ 2 other
  own rows), **merged** (≥ 30 % of its searches in rows of another majority), **small topic**
  (fewer searches in all than the 20th row), else **ranked down** / **below**;
* **what holds the top 20 instead**: first rows of removed topics, second rows of topics listed
  above (second wordings of found topics), impure rows; and of the second rows, how many the
  likely-repeat rule flagged (ranked down but still in the top 20).

Only the removed articles' searches are grouped here (no covered topics, no noise), so covered
topics' findability rows and noise rows cannot appear: for those, held_out_misses.py on the
kept stores of the real runs.

    python benchmarks/search/topic_miss_classes.py [--cache DIR] [--seeds 40]
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
from topic_words_calibration import row_intents  # noqa: E402

from carebase.report import topic_order, topics  # noqa: E402

MERGED_SHARE = 0.3


def shipped(wordings, meaning, words):
    found, _ = topics.group(wordings, meaning, 0.7, merge_threshold=0.625, words=words, words_weight=0.15,
                            fragments=(0.4, 0.1, True))
    new, rep = topic_order.order(np.stack([t.centre for t in found]), 0.7, [t.failed for t in found], 0.33)
    return found, new, rep


def classify(seed, removed, found, new, rep, intents) -> tuple[list[dict], Counter]:
    by_failed = row_intents([[m.key for m in t.members] for t in found], intents)
    maj = [c.most_common(1)[0][0] for c in by_failed]
    pure = [c[maj[i]] / sum(c.values()) >= PURITY for i, c in enumerate(by_failed)]
    rank = {row: r for r, row in enumerate(new)}
    twentieth = found[TOP - 1].failed if len(found) >= TOP else 0
    seen, kinds = set(), Counter()
    for row in new[:TOP]:
        second = maj[row] in seen
        kinds["impure" if not pure[row] else ("second" if second else "first")
              + (" flagged" if rep[row] is not None else "")] += 1
        seen.add(maj[row])
    misses = []
    for article in sorted(removed):
        own = [i for i in range(len(found)) if maj[i] == article and pure[i]]
        if own and min(rank[i] for i in own) < TOP:
            continue
        total = sum(c[article] for c in by_failed)
        in_own = [by_failed[i][article] for i in own]
        elsewhere = sum(c[article] for i, c in enumerate(by_failed) if maj[i] != article)
        impure_own = sum(c[article] for i, c in enumerate(by_failed) if maj[i] == article and not pure[i])
        largest = max(own, key=lambda i: by_failed[i][article]) if own else None
        if largest is None:
            why = "no own row"
        elif found[largest].failed >= twentieth and rep[largest] is not None:
            why = "ranked down"
        else:
            why = "too small"
        share = max(in_own) / total if in_own else 0.0
        if total < twentieth:
            kind = "small topic"
        elif elsewhere / total >= MERGED_SHARE:
            kind = "merged"
        elif share < 0.5 and len(own) >= 3:
            kind = "split"
        else:
            kind = why
        repeats = maj[rep[largest]] if largest is not None and rep[largest] is not None else None
        misses.append({"seed": seed, "article": article.split("/")[-1], "total": total, "own_rows": len(own),
                       "largest_own": max(in_own, default=0), "largest_failed": found[largest].failed if own else 0,
                       "rank": rank[largest] + 1 if own else None, "failed_rank": largest + 1 if own else None,
                       "twentieth": twentieth, "elsewhere": elsewhere, "impure_own": impure_own, "why": why,
                       "kind": kind, "repeats": (repeats.split("/")[-1] + (" (same topic)" if repeats == article else ""))
                       if repeats else None})
    return misses, kinds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    development_arguments(ap)
    args = ap.parse_args(argv)
    wordings, intents, meaning, words, ids, majority_of = development_wordings(development_embeddings(args.cache))
    all_misses, top, per_seed = [], Counter(), {}
    for seed in range(1, args.seeds + 1):
        removed = set(random.Random(seed).sample(ids, REMOVED))
        sel = [i for i, mj in enumerate(majority_of) if mj in removed]
        found, new, rep = shipped([wordings[i] for i in sel], meaning[sel], words[sel])
        misses, kinds = classify(seed, removed, found, new, rep, intents)
        all_misses += misses
        per_seed[seed] = REMOVED - len(misses)
        top.update(kinds)
    print(f"found {sum(per_seed.values())} of {REMOVED * len(per_seed)}; seeds < {REMOVED - 1}: "
          f"{sum(v < REMOVED - 1 for v in per_seed.values())}")
    print("| seed | removed topic | its failed searches | own pure rows | largest own row (its searches / row's failed) "
          "| ranked / by failed | 20th row (by failed) | in other topics' rows | in its impure rows | why | class | flagged as a repeat of |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for m in all_misses:
        print(f"| {m['seed']} | {m['article']} | {m['total']} | {m['own_rows']} | {m['largest_own']} / {m['largest_failed']} "
              f"| {m['rank']} / {m['failed_rank']} | {m['twentieth']} | {m['elsewhere']} | {m['impure_own']} "
              f"| {m['why']} | {m['kind']} | {m['repeats'] or '–'} |")
    print("classes:", dict(Counter(m["kind"] for m in all_misses)))
    print("why:", dict(Counter(m["why"] for m in all_misses)))
    print("the top 20 of all seeds:", dict(top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
