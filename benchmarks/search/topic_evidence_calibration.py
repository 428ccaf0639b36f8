"""Gap or findability, measured on half A only: which evidence tells a topic of failed
searches whose article exists from one whose article is missing?

Half A of the relevance harness is ranked once by the site's engine (the hybrid, over the
whole benchmark help centre; ``--work`` keeps the rankings). Then, for **every** intent in
turn (leave one out, all 77 alike, so no particular held-out set is looked at):

* **removed**: the intent's article is taken out; every half-A wording of the intent failed
  (nothing to click); the right decision is *gap*;
* **present**: the article is there; the intent's half-A wordings whose article was not in
  the 10 results shown failed (the customers who could not find it; at least
  ``MIN_FAILED`` searches); the right decision is *that article* (findability), never gap.

The other intents' half-A searches whose article was shown are the successful journeys
(what the service learns: wording → item). No journey of a failed search reached anything
here (the hardest case: the decision rests on similarity and neighbours alone).

Each topic is what ``topics.group`` would make of those wordings (centre, typical
wordings), replayed on the ranking (minus the removed article). Rules compared (each says
gap, or the item that answers):

* ``similar``: the most similar item ≥ the item threshold and not passed over (search
  shows it first to most typical wordings) — the rule of before;
* ``+margin m``: … and at least ``m`` more similar than the next item;
* ``+shown k``: an item search shows in the top ``k`` to most typical wordings, which
  these customers did not take, is no answer;
* ``neighbours``: the topic's wordings' nearest successful wordings (cosine ≥ ``s``)
  point to one item for most of them: that item answers (else the similarity rule).

Score: balanced accuracy = (share of removed topics called gap + share of present topics
given their own article) / 2; also the share of present topics called gap (a covered
topic labelled gap). Nothing of half B or of the held-out-topics run is read.

    python benchmarks/search/topic_evidence_calibration.py --work /tmp/tec
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from topic_calibration import wordings_of  # noqa: E402

from carebase.report import topics  # noqa: E402
from carebase.report.build import make_normaliser  # noqa: E402
from carebase.report.missing import Cluster  # noqa: E402

MIN_FAILED = 3
SHOWN = 10
NEIGHBOURS = 3  # nearest successful wordings kept per failed wording


def ranked_half_a(work: Path, queries) -> dict[str, list[str]]:
    """text → the hybrid's top 10 ids over the whole help centre (cached in ``work``)."""
    path = work / "ranked-half-a.json"
    if path.is_file():
        return json.loads(path.read_text())
    import gap_loop

    texts = list(dict.fromkeys(q.text for q in queries))
    ranked = gap_loop.rank(harness.HELPCENTRE, texts, work / "scratch", hybrid=True, jobs=2)["hybrid"]
    out = {t: ids for t, (ids, _) in zip(texts, ranked)}
    path.write_text(json.dumps(out))
    return out


class Vectors:
    def __init__(self, cache):
        self.cache = cache
        self.memo: dict[str, np.ndarray] = {}

    def queries(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            self.memo.update(zip(todo, self.cache.queries(todo)))
        return np.stack([self.memo[t] for t in texts])


def item_matrix(catalogue, cache, how: str) -> tuple[list[str], np.ndarray]:
    from carebase.search.records import catalogue_records
    from carebase.search.semantic import _about

    records = [r for r in catalogue_records(catalogue)]
    if how == "about":  # what the build output saves (title. summary. keywords tags)
        texts = [_about(r) for r in records]
    elif how == "title":
        texts = [r.title for r in records]
    elif how == "title-summary":
        texts = [". ".join(p for p in (r.title, r.summary) if p) for r in records]
    else:
        raise ValueError(how)
    return [r.id for r in records], cache.passages(texts)


def make_topic(members: list[Cluster], vectors: Vectors):
    m = vectors.queries([w.label() for w in members])
    weights = np.sqrt(np.array([w.failed for w in members], dtype=np.float32))
    centre = (m * weights[:, None]).sum(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    order = sorted(range(len(members)), key=lambda i: (-members[i].failed, members[i].key))
    topic = topics.Topic([members[i] for i in order], centre.astype(np.float32),
                         [float(m[i] @ centre) for i in order])
    return topic, m


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", required=True, help="folder for the half-A rankings (reused when present)")
    ap.add_argument("--items", default="about", help="item vectors: about | title | title-summary")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    from carebase.search.vector_cache import VectorCache

    cache = VectorCache()
    catalogue = harness.load_helpcentre()
    normaliser = make_normaliser(catalogue)
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"]
    ranked = ranked_half_a(work, queries)
    item_ids, items = item_matrix(catalogue, cache, args.items)
    position = {k: i for i, k in enumerate(item_ids)}
    vectors = Vectors(cache)
    by_intent: dict[str, list] = defaultdict(list)
    for q in queries:
        by_intent[q.target].append(q)
    shown = {q.text: q.target in ranked[q.text][:SHOWN] for q in queries}
    # the successful journeys: (wording, item) with the wording's vector
    success = [q for q in queries if shown[q.text]]
    s_matrix = vectors.queries([q.text for q in success])
    s_items = np.array([position[q.target] for q in success])
    cases = []
    for target, qs in sorted(by_intent.items()):
        cases.append(("removed", target, qs))
        failed = [q for q in qs if not shown[q.text]]
        if len(failed) >= MIN_FAILED:
            cases.append(("present", target, failed))
    print(f"half A: {len(queries)} queries, {len(success)} shown their article; "
          f"{sum(c[0] == 'removed' for c in cases)} removed cases, {sum(c[0] == 'present' for c in cases)} present "
          f"cases (≥ {MIN_FAILED} failed searches); item vectors: {args.items}", file=sys.stderr)
    facts = []
    for scenario, target, qs in cases:
        members, _ = wordings_of(normaliser, qs)
        topic, m = make_topic(members, vectors)
        gone = position[target] if scenario == "removed" else -1
        sims = items @ topic.centre
        if gone >= 0:
            sims[gone] = -1.0
        order = np.argsort(-sims)
        best, second = int(order[0]), int(order[1])
        shown_lists = [[i for i in ranked[next(iter(w.queries))] if not (gone >= 0 and i == target)]
                       for w in topic.typical(3)]
        # neighbours: successful wordings near the topic's wordings, each voting once per wording
        keep = s_items != gone if gone >= 0 else np.ones(len(s_items), bool)
        own = {q.text for q in qs}
        keep &= np.array([q.text not in own for q in success])
        nsims = m @ s_matrix[keep].T
        n_items = s_items[keep]
        near = np.argsort(-nsims, axis=1)[:, :NEIGHBOURS]
        facts.append({"scenario": scenario, "target": target, "best": item_ids[best], "sim": float(sims[best]),
                      "margin": float(sims[best] - sims[second]), "shown": shown_lists,
                      "failed": [w.failed for w in topic.members],
                      "neighbours": [[(item_ids[int(n_items[j])], float(nsims[r, j])) for j in near[r]]
                                     for r in range(len(near))]})
    (work / f"facts-{args.items}.json").write_text(json.dumps({"item_ids": item_ids, "facts": facts}))
    report(facts)
    return 0


def passed_over(f, item_id, k) -> bool:
    """Search shows the item in its top ``k`` to most of the typical wordings (not taken)."""
    return k > 0 and sum(item_id in ids[:k] for ids in f["shown"]) * 2 > len(f["shown"])


def decide(f, *, threshold, margin=0.0, shown_k=1, neighbour_sim=None, neighbour_share=0.5, neighbour_k=0):
    """gap (None) or the answering item's id, by one rule (``neighbour_k``: the neighbours'
    item must not be passed over in the top k either)."""
    if neighbour_sim is not None:
        weights = np.sqrt(np.array(f["failed"], dtype=float))
        votes: Counter = Counter()
        for w, near in zip(weights, f["neighbours"]):
            if near and near[0][1] >= neighbour_sim:
                votes[near[0][0]] += w
        if votes:
            item, v = votes.most_common(1)[0]
            if v >= neighbour_share * weights.sum() and not passed_over(f, item, neighbour_k):
                return item
    if f["sim"] < threshold or f["margin"] < margin:
        return None
    return None if passed_over(f, f["best"], shown_k) else f["best"]


def score(facts, **rule) -> tuple[float, float, float, float]:
    removed = [f for f in facts if f["scenario"] == "removed"]
    present = [f for f in facts if f["scenario"] == "present"]
    gap_ok = sum(decide(f, **rule) is None for f in removed) / len(removed)
    own = sum(decide(f, **rule) == f["target"] for f in present) / max(1, len(present))
    covered_gap = sum(decide(f, **rule) is None for f in present) / max(1, len(present))
    return (gap_ok + own) / 2, gap_ok, own, covered_gap


def report(facts, item_ids=None) -> None:
    rows = []
    for t in [round(0.5 + 0.05 * i, 2) for i in range(7)]:
        rows.append((f"similar ≥ {t} (not shown first)", score(facts, threshold=t)))
    for t in (0.6, 0.65, 0.7):
        for m in (0.05, 0.1):
            rows.append((f"similar ≥ {t}, margin {m}", score(facts, threshold=t, margin=m)))
        for k in (3, 5, 10):
            rows.append((f"similar ≥ {t}, not shown in top {k}", score(facts, threshold=t, shown_k=k)))
    for s in (0.7, 0.75, 0.8, 0.85, 0.9):
        for share in (0.5, 0.67):
            for nk in (0, 3, 5, 10):
                rows.append((f"neighbours ≥ {s} for {share:.0%}, not shown in top {nk}; else similar ≥ 0.65 not in top 10",
                             score(facts, threshold=0.65, shown_k=10, neighbour_sim=s, neighbour_share=share,
                                   neighbour_k=nk)))
    print("| rule | balanced accuracy | removed → gap | present → own article | present → gap |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (bal, gap_ok, own, covered) in rows:
        print(f"| {name} | {bal:.3f} | {gap_ok:.3f} | {own:.3f} | {covered:.3f} |")


if __name__ == "__main__":
    raise SystemExit(main())
