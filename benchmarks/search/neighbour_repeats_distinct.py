"""Neighbour repeats on rows of *distinct* real needs (reader R6, session 48; session 49 `rank`).

CLINC150's train wordings (``--data``: its data_full.json, held-out data read in place, nothing
written), each intent its own row as a perfect grouping would make it, ordered by the report's own
``missing._repeats_last`` with the shipped repeat, twin and credit settings. Every row is a
different intent, so every row listed as another row's likely repeat is a wrong flag. Per store
configuration (intents, row sizes; 4 seeds each: the reader's five of ``reader48_clinc.py`` and his
``reader48_clinc2.py``'s, plus one), the rows flagged: the centre rule alone (neighbour repeats off),
the rule as session 48 shipped it (30, 0.6), and with the shipped setting
(``topic_evidence.NEIGHBOUR_REPEATS``). A markdown table; ~2 min on a quiet core.

    python benchmarks/search/neighbour_repeats_distinct.py --data /tmp/clinc150/data_full.json
"""

from __future__ import annotations

import argparse
import collections
import json
import random

import numpy as np

from carebase.report import topic_order, topics
from carebase.report.missing import Cluster, _repeats_last
from carebase.report.topic_evidence import NEIGHBOUR_REPEATS, REPEATS, REPEATS_CREDIT, TWINS
from carebase.report.topic_vectors import open_embeddings

CONFIGURATIONS = [(8, [8, 6, 5, 5, 4, 3, 3, 2]), (16, [8, 6, 5, 5, 4, 3, 3, 2]), (30, [10, 8, 6, 5, 4, 3, 3, 2]),
                  (60, [12, 10, 8, 6, 5, 4, 3, 3, 2, 2]), (100, [20, 15, 12, 10, 8, 6, 5, 4, 3, 2]), (40, [30]),
                  (60, [40, 30, 20, 10, 5, 2]), (60, [50, 40, 30, 20, 10]), (60, [40, 30, 20, 10, 8, 6, 5, 4, 3, 2])]
SETTINGS = {"off": None, "shipped in session 48": (30, 0.6), "shipped": NEIGHBOUR_REPEATS["embedding"]}


def flagged(by: dict, intents: list[str], vec, n_intents: int, sizes: list[int], seed: int) -> tuple[int, int, dict]:
    """(wordings, rows, {setting: rows listed as another row's likely repeat}) of one store."""
    rng = random.Random(seed)
    texts, spans = [], []
    for i, intent in enumerate(rng.sample(intents, n_intents)):
        size = sizes[i % len(sizes)]
        spans.append((intent, len(texts), len(texts) + size))
        texts += rng.sample(by[intent], size)
    matrix = np.asarray(vec.encode(texts, [tuple(t.split()) for t in texts]), dtype=np.float32)
    wordings = [Cluster(key=tuple(f"{t} #{k}".split()), failed=1, searches=1, queries=collections.Counter({t: 1}))
                for k, t in enumerate(texts)]
    listed = [topics.make_topic(wordings[a:b], list(matrix[a:b])) for _, a, b in spans]
    rows = [{"topic_id": f"topic:{i}", "label": intent, "failed": b - a} for i, (intent, a, b) in enumerate(spans)]
    order = sorted(range(len(rows)), key=lambda i: -rows[i]["failed"])
    rows, listed = [rows[i] for i in order], [listed[i] for i in order]
    out = {}
    for name, setting in SETTINGS.items():
        near = None if setting is None else (
            topic_order.neighbour_closeness(listed, wordings, matrix, setting[0], topic_order.floor_of(setting)), setting[1])
        ranked = _repeats_last([dict(r) for r in rows], listed, REPEATS["embedding"], frozenset(), TWINS["embedding"],
                               REPEATS_CREDIT["embedding"], None, near)
        out[name] = sum("repeats" in r for r in ranked)
    return len(texts), len(rows), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="CLINC150's data_full.json")
    ap.add_argument("--seeds", type=int, default=4)
    args = ap.parse_args()
    vec = open_embeddings(None)
    if vec is None:
        raise SystemExit("no embedding model: this measures the project's own embeddings")
    by = collections.defaultdict(list)
    for text, intent in json.load(open(args.data))["train"]:
        by[intent].append(text)
    intents = sorted(by)
    print(f"| intents | row sizes | wordings | rows ({args.seeds} seeds) | " + " | ".join(SETTINGS) + " |")
    print("| ---: | --- | ---: | ---: | " + " | ".join("---:" for _ in SETTINGS) + " |")
    for n_intents, sizes in CONFIGURATIONS:
        total, rows, counts = collections.Counter(), 0, set()
        for seed in range(args.seeds):
            n, r, out = flagged(by, intents, vec, n_intents, sizes, seed)
            rows += r
            counts.add(n)
            total.update(out)
        print(f"| {n_intents} | {sizes[0]}–{sizes[-1]} | {'/'.join(map(str, sorted(counts)))} | {rows} | "
              + " | ".join(str(total[name]) for name in SETTINGS) + " |", flush=True)


if __name__ == "__main__":
    main()
