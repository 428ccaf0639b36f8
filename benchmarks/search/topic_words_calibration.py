"""Choose how failed searches are grouped when BANKING77-like near-duplicate needs are removed
together (issue 12, held-out topics): the weight of a wording's words next to its meaning
(topic_evidence.WORDS_WEIGHT) and the grouping and merge thresholds on that blend, on
**half A only** (never half B, never a declared held-out seed):

* **held-out simulation**: for each development seed 1 … ``SEEDS``, ``REMOVED`` articles are
  drawn (``random.Random(seed).sample``, as held_out_topics.py draws them) and the half-A
  wordings whose intent is one of them are grouped (the failed searches of a held-out run);
  a removed topic is *found* when one of the 20 largest rows has it as majority with purity
  ≥ 0.8 — held_out_topics.py's score without the service, the replay and the gap label;
* **BCubed** precision / recall / F0.5 / F1 of grouping all half-A wordings against the intents
  (topic_calibration.py's measure).

    python benchmarks/search/topic_words_calibration.py [--seeds 40] [--grid fragments|words|repeats|soft]
    python benchmarks/search/topic_words_calibration.py --cost   # CPU of grouping with words vs without
    python benchmarks/search/topic_words_calibration.py --cache /tmp/twc   # embeddings kept between runs

``--cost``: CPU seconds of grouping the report's at most 2,000 embedded wordings (half A's most
failed) with the shipped settings, A = with words and the fragments pass (the stems' vectors
built as the report builds them, included) vs B = meaning only and the merge pass (the grouping
before words), in turns A B A B (``PAIRS`` pairs), median ratio; and whether the leader pass on
the sparse words part (``topic_leader.Blend``) gives the same topics as on the dense blended rows.

Needs the embedding model (the report's default); each wording's words are the report's own
hashed TF-IDF stems (``missing._lexical``).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import topic_split_trial  # noqa: E402
from held_out_topics import PURITY, REMOVED, TOP  # noqa: E402
from topic_calibration import bcubed, development_arguments, development_embeddings, wordings_of  # noqa: E402

import topic_split_gap_trial as topic_split  # noqa: E402
from carebase.report import topic_leader, topic_order, topics  # noqa: E402
from carebase.report.build import make_normaliser  # noqa: E402
from carebase.report.missing import _lexical  # noqa: E402

#: (words weight, grouping threshold, merge threshold, where words count): "leader" = the
#: product's way (words in the leader pass, the merge pass on meaning only), "all" = the merge
#: pass on the blend too. Weight 0 with (0.7, 0.625) was shipped before.
CANDIDATES = [(0.0, 0.7, None, "leader"), (0.0, 0.7, 0.625, "leader"),
              (0.1, 0.7, 0.625, "leader"), (0.15, 0.7, 0.625, "leader"), (0.2, 0.7, 0.625, "leader"),
              (0.2, 0.7, 0.65, "leader"), (0.2, 0.65, 0.625, "leader"), (0.25, 0.7, 0.625, "leader"),
              (0.15, 0.7, 0.55, "all"), (0.2, 0.7, 0.5, "all"), (0.2, 0.7, 0.55, "all"), (0.2, 0.7, 0.6, "all"),
              (0.2, 0.65, 0.55, "all"), (0.25, 0.7, 0.55, "all"), (0.35, 0.65, 0.55, "all")]
#: Session 23 (``--grid fragments``): the shipped leader pass and merge pass (0.15, 0.7, 0.625),
#: then ``fragments`` = (floor, margin[, guard]): second rows join their one obvious home
#: (``topics.group(fragments=…)``, ``topic_merge.attach_fragments``; guard: never a row the
#: words kept apart), and/or ``split_words`` =
#: (margin, least failed searches per part): rows split by the words each part uses
#: (topic_split_trial.py, applied to the grouping's rows; tried, not shipped).
FRAGMENTS = [(0.15, 0.7, 0.625, "leader", None)] + [
    (0.15, 0.7, 0.625, "leader", {"fragments": fm})
    for fm in ((0.4, 0.05), (0.4, 0.075), (0.4, 0.1), (0.4, 0.125), (0.4, 0.15), (0.5, 0.1),
               (0.4, 0.05, True), (0.4, 0.075, True), (0.4, 0.1, True), (0.35, 0.075, True))] + [
    (0.15, 0.7, 0.625, "leader", {"split_words": (m, 5)}) for m in (0.0, 0.03, 0.06, 0.09)] + [
    (0.15, 0.7, 0.625, "leader", {"fragments": (0.4, 0.1), "split_words": (0.06, 5)})]


#: Session 25 (``--grid repeats`` / ``soft``): the shipped grouping, then the backlog's order
#: with likely second rows ranked lower (``topic_order.order``: centre cosine ≥ the threshold
#: to a row ranked above; discount 0: after every row that repeats nothing, else ranked as if
#: it had that share of its failed searches). (A fold of such rows into the row above, tried on
#: branch commit 46df97a, found 0.75-0.84: not shipped.)
SHIPPED = (0.15, 0.7, 0.625, "leader", {"fragments": (0.4, 0.1, True)})
REPEATS = [SHIPPED] + [(0.15, 0.7, 0.625, "leader", {"fragments": (0.4, 0.1, True), "repeats": t})
                       for t in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85)]
REPEATS_SOFT = [(0.15, 0.7, 0.625, "leader", {"fragments": (0.4, 0.1, True), "repeats": (t, d)})
                for t in (0.7, 0.75, 0.8) for d in (0.5, 0.33)] + [
    (0.15, 0.7, 0.625, "leader", {"fragments": (0.4, 0.1, True), "repeats": td})
    for td in ((0.7, 0.25), (0.7, 0.2), (0.65, 0.33), (0.65, 0.5))]


#: Session 27 (``--grid split``): the shipped grouping and order, then rows of two needs split
#: by their searches' own structure (``topic_split``: (space, margin, least failed per part));
#: the two parts are never likely repeats of each other.
SHIPPED_ORDER = (0.15, 0.7, 0.625, "leader", {"fragments": (0.4, 0.1, True), "repeats": (0.7, 0.33)})
SPLIT = [SHIPPED_ORDER] + [
    (0.15, 0.7, 0.625, "leader", {"fragments": (0.4, 0.1, True), "repeats": (0.7, 0.33), "split2": (sp, m, 5)})
    for sp in ("blend", "meaning") for m in (0.02, 0.04, 0.06, 0.08, 0.1, 0.12)] + [
    (0.15, 0.7, 0.625, "leader", {"fragments": (0.4, 0.1, True), "repeats": (0.7, 0.33), "split2": ("blend", m, 5, False)})
    for m in (0.04, 0.08, 0.12, 0.16)]


def row_intents(groups: list[list[tuple]], intents) -> list[Counter]:
    """Each group's searches counted by their intent (``intents``: wording key → Counter)."""
    rows = []
    for keys in groups:
        counts: Counter = Counter()
        for key in keys:
            counts.update(intents[key])
        rows.append(counts)
    return rows


def found_removed(groups: list[list[tuple]], intents, removed: set[str], ordered: bool = False) -> tuple[int, int]:
    """(removed topics found, second rows in the top 15: rows whose majority topic is the
    majority topic of a larger row, among as many rows as topics were removed — with only the
    removed topics' searches grouped, the top 20 always holds 5 second rows or more)."""
    rows = row_intents(groups, intents)
    if not ordered:
        rows.sort(key=lambda c: -sum(c.values()))
    majorities = [c.most_common(1)[0][0] for c in rows[:len(removed)]]
    found = sum(any(c.most_common(1)[0][0] == article and c[article] / sum(c.values()) >= PURITY for c in rows[:TOP])
                for article in removed)
    return found, len(majorities) - len(set(majorities))


def grouped(wordings, meaning, words, weight, group_at, merge_at, where, extra=None) -> list[list[tuple]]:
    extra = dict(extra or {})
    split_words = extra.pop("split_words", None)
    repeat_at = extra.pop("repeats", None)
    split2_setting = extra.pop("split2", None)
    if where == "all" and weight:
        found, other = topics.group(wordings, topics.with_words(meaning, words, weight), group_at,
                                    merge_threshold=merge_at)
    else:
        found, other = topics.group(wordings, meaning, group_at, merge_threshold=merge_at,
                                    words=words if weight else None, words_weight=weight, **extra)
    split2 = split2_setting
    apart_ids: set = set()
    if split2:
        space_name, margin, least, keep_apart = (tuple(split2) + (True,))[:4]
        position = {id(w): i for i, w in enumerate(wordings)}
        failed = np.array([w.failed for w in wordings], dtype=np.float64)
        weights = np.sqrt(np.maximum(1, failed)).astype(np.float32)
        space = topics.with_words(meaning, words, weight) if space_name == "blend" else meaning
        out = []
        for t in found:
            idx = [position[id(m)] for m in t.members]
            halves = topic_split.split(idx, space, weights, failed, margin, least)
            if not halves:
                out.append(t)
                continue
            pa, pb = (topics.make_topic([wordings[i] for i in h], [meaning[i] for i in h]) for h in halves)
            if keep_apart:
                apart_ids |= {(id(pa), id(pb)), (id(pb), id(pa))}
            out += [pa, pb]
        found = out
    rows = [t.members for t in found]
    if repeat_at is not None:
        found.sort(key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
        at, discount = repeat_at if isinstance(repeat_at, tuple) else (repeat_at, 0.0)
        apart = {(a, b) for a in range(len(found)) for b in range(len(found)) if (id(found[a]), id(found[b])) in apart_ids}
        new, _ = topic_order.order(np.stack([t.centre for t in found]), at, [t.failed for t in found], discount, apart)
        rows = [found[i].members for i in new]
    if split_words:
        position = {id(w): i for i, w in enumerate(wordings)}
        keys = [w.key for w in wordings]
        failed = np.array([w.failed for w in wordings], dtype=np.float64)
        weights = np.sqrt(np.maximum(1, failed)).astype(np.float32)
        split_rows = []
        for members in rows:
            halves = topic_split_trial.split([position[id(m)] for m in members], keys, failed, meaning, weights,
                                             *split_words)
            split_rows += [[wordings[i] for i in h] for h in halves] if halves else [members]
        rows = split_rows
    return [[m.key for m in members] for members in rows] + [[w.key] for w in other]


PAIRS = 7


def cost(wordings, meaning, normaliser, catalogue) -> None:
    from carebase.report.topic_evidence import FRAGMENTS, GROUP_THRESHOLD, MERGE_THRESHOLD, WORDS_WEIGHT
    from carebase.report.topic_vectors import MAX_EMBED

    order = sorted(range(len(wordings)), key=lambda i: (-wordings[i].failed, wordings[i].key))[:MAX_EMBED]
    ws, m = [wordings[i] for i in order], meaning[order]
    weight = WORDS_WEIGHT["embedding"]
    group_at, merge_at = GROUP_THRESHOLD["embedding"], MERGE_THRESHOLD["embedding"]

    def a():
        words = _lexical(normaliser, ws, catalogue).encode_keys([w.key for w in ws])
        topics.group(ws, m, group_at, merge_threshold=merge_at, words=words, words_weight=weight,
                     fragments=FRAGMENTS["embedding"])

    def b():
        topics.group(ws, m, group_at, merge_threshold=merge_at)

    words = _lexical(normaliser, ws, catalogue).encode_keys([w.key for w in ws])
    weights = np.sqrt(np.array([max(1, w.failed) for w in ws], dtype=np.float32))
    head = list(range(len(ws)))
    sparse, _ = topic_leader.leader(topic_leader.Blend(m, words, weight), head, [], weights, group_at)
    dense, _ = topic_leader.leader(topic_leader.Dense(topics.with_words(m, words, weight)), head, [], weights, group_at)
    same = sorted(map(sorted, sparse.values())) == sorted(map(sorted, dense.values()))
    print(f"leader pass, sparse words vs the dense blended rows: {len(sparse)} vs {len(dense)} topics, "
          f"{'identical' if same else 'DIFFERENT'} memberships")

    times = {"A": [], "B": []}
    for _ in range(PAIRS):
        for name, run in (("A", a), ("B", b)):
            start = time.process_time()
            run()
            times[name].append(time.process_time() - start)
    ratios = sorted(x / y for x, y in zip(times["A"], times["B"]))
    print(f"{len(ws)} wordings: with words {np.median(times['A']):.3f} CPU-s (median of {PAIRS}), meaning only "
          f"{np.median(times['B']):.3f}; ratio A/B median {np.median(ratios):.2f} ({ratios[0]:.2f}–{ratios[-1]:.2f})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    development_arguments(ap)
    ap.add_argument("--only", type=int, nargs="*", help="only these rows of the grid (0-based)")
    ap.add_argument("--cost", action="store_true", help="time grouping with words vs without instead")
    ap.add_argument("--grid", choices=("fragments", "words", "repeats", "soft", "split"), default="fragments",
                    help="fragments: second merge passes (session 23); words: the words weights (session 22)")
    args = ap.parse_args(argv)
    embeddings = development_embeddings(args.cache)
    catalogue = harness.load_helpcentre()
    normaliser = make_normaliser(catalogue)
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"]
    wordings, intents = wordings_of(normaliser, queries)
    print(f"half A: {len(queries)} queries, {len(wordings)} wordings; embedding them …", file=sys.stderr)
    meaning = embeddings.encode([w.label() for w in wordings], [w.key for w in wordings])
    words = _lexical(normaliser, wordings, catalogue).encode_keys([w.key for w in wordings])
    if args.cost:
        cost(wordings, meaning, normaliser, catalogue)
        return 0
    ids = sorted(a.id for a in catalogue.articles)
    majority = [intents[w.key].most_common(1)[0][0] for w in wordings]
    grid = {"fragments": FRAGMENTS, "repeats": REPEATS, "soft": REPEATS_SOFT, "split": SPLIT}.get(args.grid) or [c + (None,) for c in CANDIDATES]
    print("| words weight | words in | group | merge | after the merge pass | removed topics found (mean share) "
          "| seeds < 14 of 15 | worst seed | second rows in top 15 (mean) | BCubed P | R | F0.5 | F1 | CPU-s |")
    print("| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    if args.only:
        grid = [grid[i] for i in args.only]
    for weight, group_at, merge_at, where, extra in grid:
        start = time.process_time()
        per_seed, seconds = [], []
        for seed in range(1, args.seeds + 1):
            removed = set(random.Random(seed).sample(ids, REMOVED))
            sel = [i for i, m in enumerate(majority) if m in removed]
            groups = grouped([wordings[i] for i in sel], meaning[sel], words[sel], weight, group_at, merge_at, where,
                             extra)
            found, second = found_removed(groups, intents, removed, ordered="repeats" in (extra or {}))
            per_seed.append(found)
            seconds.append(second)
        p, r, f05, f1 = bcubed(grouped(wordings, meaning, words, weight, group_at, merge_at, where, extra),
                               intents)
        share = sum(per_seed) / (REMOVED * len(per_seed))
        print(f"| {weight} | {where if weight else '-'} | {group_at} | {merge_at or 'none'} | {extra or '-'} "
              f"| {share:.3f} | {sum(n < REMOVED - 1 for n in per_seed)} | {min(per_seed)} "
              f"| {np.mean(seconds):.2f} | {p:.3f} | {r:.3f} | {f05:.3f} | {f1:.3f} | {time.process_time() - start:.1f} |",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
