"""Tried, not shipped (session 28, issue 12 held-out topics): finer or stricter grouping and
repeat rules, on the development removals of topic_words_calibration.py (seeds 1 … 40, 15
articles each, half A only; never half B or a declared held-out seed).

The shipped grouping (``topics.group``: leader pass on meaning and words, one reassignment,
merge pass, fragments) and order (``topic_order``: likely repeats ranked lower), with one
change at a time:

* ``group``, ``merge``, ``ww``, ``frag``: the grouping threshold, the merge threshold, the
  words weight, the fragments setting (``topic_evidence``'s figures, other values);
* ``linkage="average"``: in the leader pass and its reassignment a wording joins a topic by its
  **average** similarity to the topic's wordings (the topic's sum · wording / its weight)
  instead of its cosine to the topic's centre (sum · wording / ‖sum‖): a loose topic, one
  that two needs share, counts as far from every wording;
* ``anchor``: and only a topic whose first wording (its leader) is at least that similar in
  meaning to the wording (no drift of a centre from one need to the next);
* ``iters``: the reassignment repeated that many more times, each against centres recomputed
  from the members (k-means refinement seeded by the leader pass);
* ``mk``: the words part also holds four *need markers*, words the analyser drops as stop words
  but which tell "why must I verify?" from "how do I verify?" from "I can't verify" and "how do
  I get a card?" from "my card is not working" (``MARKERS``: why, how, a negation, get), each
  the share of the wording's queries holding one, weighted ``mk`` against its stems;
* ``link="avg"`` with ``repeats=(threshold, discount)``: a row is a likely repeat of a row
  above it by their **average linkage** (centre cosine × each row's coherence, the √-weighted
  mean cosine of its wordings to its centre) instead of the centres' cosine.

Scores as topic_words_calibration.py: removed topics found (a top-20 row, majority, purity
≥ 0.8; mean share over the seeds), seeds under 14 of 15, the worst seed, second rows in the top
15, impure rows in the top 20 (purity < 0.8, summed over the seeds), BCubed over all half-A
wordings (the repeat rules change no grouping: BCubed is main's).

    python benchmarks/search/topic_linkage_trial.py --grid thresholds|linkage|markers|repeats|words|merge [--cache DIR]
    python benchmarks/search/topic_linkage_trial.py --stages [--cache DIR]   # which step made each impure row
    python benchmarks/search/topic_linkage_trial.py --repeat-auc [--cache DIR]   # what tells a second row

``--stages``: with the shipped settings, each top-20 row of purity < 0.8 over the seeds is put in
one class: the leader pass made it (no merged parts), a part of it is impure already (the leader
pass), or it is a merge of pure parts of different topics (the merge or fragments pass).
``--repeat-auc``: every row among each seed's 40 largest against its nearest larger row by
centre cosine, a *second row* when both have one majority topic, else two needs; for each
measure (centre cosine, the centres of their stems, average linkage, the mean of each wording's
nearest in the other row, the medoids' cosine) the AUC of telling the two apart, and how many
of each the shipped repeat threshold flags.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from held_out_topics import PURITY, REMOVED, TOP  # noqa: E402
from topic_calibration import bcubed, development_arguments, development_embeddings, development_wordings  # noqa: E402
from topic_words_calibration import found_removed  # noqa: E402

from carebase.report import topic_leader, topic_order, topics  # noqa: E402

GRIDS = {
    "thresholds": [{}, {"group": 0.72}, {"group": 0.74}, {"group": 0.76}, {"group": 0.78}, {"group": 0.8},
                   {"group": 0.75, "merge": 0.65}, {"group": 0.75, "merge": 0.675}, {"group": 0.8, "merge": 0.675}],
    "merge": [{}, {"merge": 0.6}, {"merge": 0.65}, {"merge": 0.675}, {"frag": None}, {"merge": None, "frag": None}],
    "linkage": [{}, {"linkage": "average", "group": 0.6}, {"linkage": "average", "group": 0.55},
                {"linkage": "average", "group": 0.5}, {"linkage": "average", "group": 0.45},
                {"anchor": 0.55}, {"anchor": 0.6}, {"anchor": 0.65}, {"anchor": 0.7},
                {"iters": 1}, {"iters": 2}, {"iters": 4}],
    "words": [{}, {"ww": 0.25}, {"ww": 0.3}, {"ww": 0.4}, {"ww": 0.3, "group": 0.68}, {"ww": 0.4, "group": 0.65},
              {"ww": 0.3, "merge": 0.65}],
    "markers": [{}, {"mk": 0.5}, {"mk": 1.0}, {"mk": 1.0, "ww": 0.25}, {"mk": 2.0, "ww": 0.25}],
    "repeats": [{}] + [{"link": "avg", "repeats": r} for r in
                       ((0.45, 0.33), (0.5, 0.33), (0.55, 0.33), (0.6, 0.33), (0.5, 0.5), (0.55, 0.5), (0.55, 0.2))],
}

MARKERS = {"why": {"why", "reason"}, "how": {"how"}, "get": {"get", "got", "getting"},
           "not": {"not", "no", "never", "unable", "cannot", "can't", "cant", "won't", "wont", "isn't", "isnt",
                   "doesn't", "doesnt", "didn't", "didnt", "don't", "dont", "hasn't", "hasnt", "haven't", "havent",
                   "wasn't", "wasnt", "aren't", "couldn't"}}


def marker_rows(wordings) -> np.ndarray:
    """Per wording, the share of its queries holding each kind of ``MARKERS`` word."""
    out = np.zeros((len(wordings), len(MARKERS)), dtype=np.float32)
    for r, w in enumerate(wordings):
        total = sum(w.queries.values()) or 1
        for query, n in w.queries.items():
            tokens = set(re.findall(r"[a-z']+", query.lower().replace("\u2019", "'")))
            for c, vocabulary in enumerate(MARKERS.values()):
                if tokens & vocabulary:
                    out[r, c] += n / total
    return out


def with_markers(words: np.ndarray, markers: np.ndarray, weight: float) -> np.ndarray:
    rows = np.hstack([words, weight * markers]).astype(np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return rows / norms


VARIANT: dict = {}
_shipped_leader = topic_leader.leader


def leader(space, head, tail, weights, threshold):
    """topic_leader.leader with the variants above (the shipped one when none is set)."""
    if VARIANT.get("linkage", "centre") == "centre" and VARIANT.get("anchor") is None and not VARIANT.get("iters"):
        return _shipped_leader(space, head, tail, weights, threshold)
    average, anchor, meaning = VARIANT.get("linkage") == "average", VARIANT.get("anchor"), VARIANT["meaning"]
    space.start(len(head))
    norms = np.zeros(len(head), dtype=np.float32)
    mass = np.zeros(len(head), dtype=np.float32)
    first: list[int] = []
    assignment: dict[int, int] = {}
    k = 0

    def scale(n):
        return mass[:n] if average else norms[:n]

    for i in head:
        if k and space.present[i]:
            sims = space.dots(k, i) / scale(k)
            if anchor is not None:
                sims = np.where(meaning[first] @ meaning[i] >= anchor, sims, -np.inf)
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                norms[j] = math.sqrt(space.add(j, i, float(weights[i]))) or 1.0
                mass[j] += weights[i]
                assignment[i] = j
                continue
        norms[k] = math.sqrt(space.add(k, i, float(weights[i]))) or 1.0
        mass[k] = weights[i]
        first.append(i)
        assignment[i] = k
        k += 1
    for rounds in range(1 + VARIANT.get("iters", 0)):
        members: dict[int, list[int]] = {}
        sims = space.all_dots(head, k) / scale(k)
        if anchor is not None:
            sims = np.where(meaning[head] @ meaning[first].T >= anchor, sims, -np.inf)
        for row, i in enumerate(head):
            j = int(np.argmax(sims[row]))
            if sims[row, j] < threshold or not space.present[i]:
                j = assignment[i]
            members.setdefault(j, []).append(i)
        if rounds == VARIANT.get("iters", 0):
            break
        space.start(len(head))
        norms[:] = 1.0
        mass[:] = 0.0
        for j, idx in members.items():
            for i in idx:
                norms[j] = math.sqrt(space.add(j, i, float(weights[i]))) or 1.0
                mass[j] += weights[i]
                assignment[i] = j
        mass[mass == 0] = 1.0
    return members, topic_leader.join_tail(space, tail, scale(k), threshold, members)


def coherence(topic) -> float:
    """‖a topic's weighted sum‖ / its weight: the √-weighted mean cosine of its wordings to its centre."""
    w = np.sqrt(np.array([max(1, m.failed) for m in topic.members], dtype=np.float64))
    return float((w * np.array(topic.similarity)).sum() / w.sum())


def rows_of(wordings, meaning, words, setting) -> list[list[tuple]]:
    """The wordings' keys per backlog row, in the backlog's order, then "other" one by one."""
    if setting.get("mk"):
        words = with_markers(words, marker_rows(wordings), setting["mk"])
    VARIANT.clear()
    VARIANT.update(setting, meaning=meaning)
    found, other = topics.group(wordings, meaning, setting.get("group", 0.7),
                                merge_threshold=setting.get("merge", 0.625), words=words,
                                words_weight=setting.get("ww", 0.15), fragments=setting.get("frag", (0.4, 0.1, True)))
    found.sort(key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
    centres = np.stack([t.centre for t in found])
    if setting.get("link") == "avg":
        centres = centres * np.array([coherence(t) for t in found], dtype=np.float32)[:, None]
    at, discount = setting.get("repeats", (0.7, 0.33))
    new, _ = topic_order.order(centres, at, [t.failed for t in found], discount)
    return [[m.key for m in found[i].members] for i in new] + [[w.key] for w in other]


def counts_of(members, intents) -> Counter:
    out: Counter = Counter()
    for m in members:
        out.update(intents[m.key])
    return out


def purity(c: Counter) -> float:
    return c.most_common(1)[0][1] / sum(c.values())


def shipped_topics(wordings, meaning, words):
    found, _ = topics.group(wordings, meaning, 0.7, merge_threshold=0.625, words=words, words_weight=0.15,
                            fragments=(0.4, 0.1, True))
    new, _ = topic_order.order(np.stack([t.centre for t in found]), 0.7, [t.failed for t in found], 0.33)
    return found, [found[i] for i in new]


def stages(samples, intents) -> None:
    kinds: Counter = Counter()
    for seed, ws, m, w in samples:
        for row in shipped_topics(ws, m, w)[1][:TOP]:
            c = counts_of(row.members, intents)
            if purity(c) >= PURITY:
                continue
            if not row.parts:
                kind = "the leader pass (no merged parts)"
            elif all(purity(counts_of(p.members, intents)) >= PURITY for p in row.parts):
                kind = "a merge of pure parts (merge or fragments pass)"
            else:
                kind = "a merge with an impure part (the leader pass)"
            kinds[kind] += 1
            print(f"seed {seed}: purity {purity(c):.2f}, {kind}: {dict(c.most_common(3))}")
    print(dict(kinds))


def repeat_auc(samples, intents) -> None:
    pairs = []
    for _, ws, m, w in samples:
        position = {id(x): i for i, x in enumerate(ws)}
        found = shipped_topics(ws, m, w)[0][:40]
        rows = []
        for t in found:
            idx = [position[id(x)] for x in t.members]
            weights = np.sqrt(np.array([max(1, ws[i].failed) for i in idx], dtype=np.float64))
            stems = (weights[:, None] * w[idx]).sum(axis=0)
            rows.append((idx, weights, t.centre, stems / (np.linalg.norm(stems) or 1.0),
                         counts_of(t.members, intents).most_common(1)[0][0], m[position[id(t.medoid())]]))
        for r in range(1, len(rows)):
            idx, wt, centre, stems, major, medoid = rows[r]
            near = max(range(r), key=lambda j: float(centre @ rows[j][2]))
            jdx, wj, cj, sj, mj, dj = rows[near]
            sims = m[idx] @ m[jdx].T
            pairs.append({"second": major == mj, "centre": float(centre @ cj), "stems": float(stems @ sj),
                          "average": float(wt @ sims @ wj / (wt.sum() * wj.sum())),
                          "nearest": float((wt * sims.max(axis=1)).sum() / wt.sum()), "medoids": float(medoid @ dj)})
    second = np.array([p["second"] for p in pairs])
    print(f"{second.sum()} second rows, {(~second).sum()} rows of another need")
    for key in ("centre", "stems", "average", "nearest", "medoids"):
        x = np.array([p[key] for p in pairs])
        auc = float((x[second][:, None] > x[~second][None, :]).mean())
        print(f"{key}: AUC {auc:.3f}")
    x = np.array([p["centre"] for p in pairs])
    for at in (0.6, 0.65, 0.7, 0.75, 0.8):
        print(f"centre >= {at}: {int((second & (x >= at)).sum())} second rows flagged, "
              f"{int((~second & (x >= at)).sum())} rows of another need flagged")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", choices=sorted(GRIDS), default="linkage")
    development_arguments(ap)
    ap.add_argument("--stages", action="store_true", help="which step made each impure top-20 row")
    ap.add_argument("--repeat-auc", action="store_true", help="what tells a second row from another need")
    args = ap.parse_args(argv)
    embeddings = development_embeddings(args.cache)
    topic_leader.leader = leader
    wordings, intents, meaning, words, ids, majority = development_wordings(embeddings)
    if args.stages or args.repeat_auc:
        samples = []
        for seed in range(1, args.seeds + 1):
            removed = set(random.Random(seed).sample(ids, REMOVED))
            sel = [i for i, m in enumerate(majority) if m in removed]
            samples.append((seed, [wordings[i] for i in sel], meaning[sel], words[sel]))
        (stages if args.stages else repeat_auc)(samples, intents)
        return 0
    print("| setting (beside the shipped ones) | found (mean share) | seeds < 14 of 15 | worst seed "
          "| second rows in top 15 | impure top-20 rows | BCubed P | R | F0.5 | CPU-s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for setting in GRIDS[args.grid]:
        start = time.process_time()
        per_seed, second, impure = [], [], 0
        for seed in range(1, args.seeds + 1):
            removed = set(random.Random(seed).sample(ids, REMOVED))
            sel = [i for i, m in enumerate(majority) if m in removed]
            rows = rows_of([wordings[i] for i in sel], meaning[sel], words[sel], setting)
            found, seconds = found_removed(rows, intents, removed, ordered=True)
            per_seed.append(found)
            second.append(seconds)
            for keys in rows[:TOP]:
                counts: Counter = Counter()
                for key in keys:
                    counts.update(intents[key])
                impure += counts.most_common(1)[0][1] / sum(counts.values()) < PURITY
        p, r, f05, _ = bcubed(rows_of(wordings, meaning, words, setting), intents)
        print(f"| {setting or 'shipped'} | {sum(per_seed) / (REMOVED * len(per_seed)):.3f} "
              f"| {sum(n < REMOVED - 1 for n in per_seed)} | {min(per_seed)} | {np.mean(second):.2f} | {impure} "
              f"| {p:.3f} | {r:.3f} | {f05:.3f} | {time.process_time() - start:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
