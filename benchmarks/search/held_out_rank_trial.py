"""Held-out topics (issue 12, session 36, `gaps`): the kept stores of real runs re-ranked with
other weights and repeat tests, scored as held_out_topics.py scores (own top-20 row, gap,
purity ≥ 0.8; covered gaps), per run and in folds.

``capture`` makes each store's report with this code (``carebase report`` in this process, as
``held_out_twins.py``) and keeps the backlog before its order (``missing._repeats_last``'s
rows, their centres, the pairs kept apart, each row's wordings with their vectors). ``trial``
re-ranks them: ``shipped`` reproduces the report's order exactly (checked against its
report.json), then each variant changes one thing:

* ``findability last``: a findability row ranked after every gap row (a lead writes articles
  first); ``unanswered``: each row weighed by its failed searches less the clients whose
  journeys went on to reach an item; ``failed share``: × its failed share of its searches;
* ``nearest item``: a gap row weighed by how far its nearest item is, (1 − s)^g, or halved
  linearly from s0 to the gap threshold 0.65;
* ``planned article``: the repeat test made against the article each gap row above asks for
  (its suggestion's title and keywords, encoded as an item is), at the report's item threshold
  (an item ≥ 0.65 similar answers a row) and below it; alone, or with the shipped centre test
  (and: both must hold; or: either);
* ``reassigned``: every wording moved to the nearest row centre when it is nearer by a margin
  (one more reassignment after the merge and fragment passes).

``misses`` lists every miss of class (b) (own pure gap row below the 20th) with what holds the
top 20 above it, and compares what the report knows about the small ones and the second rows
above them.

    python benchmarks/search/held_out_rank_trial.py capture SEED... --root DIR --cache DIR
    python benchmarks/search/held_out_rank_trial.py trial|misses SEED... --cache DIR
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from held_out_topics import PURITY, TOP, removed_articles  # noqa: E402
from held_out_twins import intents, run_report  # noqa: E402

FOLDS = ([20261203, 20261213, 20261214, 20261215, 20261216, 1, 2], list(range(3, 11)), list(range(11, 19)))
ITEM = 0.65  # topic_evidence.ITEM_THRESHOLD["embedding"]
PLANNED = 100  # rows whose suggested article is encoded


def capture(args) -> None:
    from carebase.report import missing, topics

    Path(args.cache).mkdir(parents=True, exist_ok=True)
    for seed in args.seeds:
        state: dict = {}
        group, order = topics.group, missing._repeats_last

        def keep_group(wordings, matrix, *a, **k):
            state["vec"] = {id(w): np.asarray(matrix[i], dtype=np.float32) for i, w in enumerate(wordings)}
            return group(wordings, matrix, *a, **k)

        def keep_order(backlog, listed, setting, apart=frozenset(), twins=None, credit=None):
            vec = state.get("vec", {})
            state["rows"] = [dict(r) for r in backlog]
            state["centres"] = np.stack([t.centre for t in listed]) if listed else np.zeros((0, 1))
            state["apart"] = set(apart)
            state["members"] = [[(vec.get(id(m)), dict(m.queries)) for m in t.members] for t in listed]
            return order(backlog, listed, setting, apart, twins, credit)

        topics.group, missing._repeats_last = keep_group, keep_order
        try:
            report = run_report(Path(args.root) / f"heldout-{seed}", lambda top, *a: top)
        finally:
            topics.group, missing._repeats_last = group, order
        state["report_order"] = [r["topic_id"] for r in report["missing"]["clusters"]]
        (Path(args.cache) / f"{seed}.pkl").write_bytes(pickle.dumps(state))
        print(f"{seed}: {len(state['rows'])} backlog rows captured", flush=True)


def load(cache: str, seed: int, intent_of: dict, removed: set) -> dict:
    d = pickle.loads((Path(cache) / f"{seed}.pkl").read_bytes())
    seen: set = set()
    for i, r in enumerate(d["rows"]):
        c: Counter = Counter()
        for e in r["all_queries"]:
            c[intent_of.get(" ".join(e["query"].lower().split()), "?")] += e["count"]
        m, n = c.most_common(1)[0]
        r["_maj"], r["_pur"], r["_i"] = m, n / sum(c.values()), i
        r["_kind"] = ("second" if m in seen else "first") + (" removed" if m in removed else " covered")
        seen.add(m)
    d["removed"] = removed
    return d


def score(rows: list[dict], removed: set) -> tuple[int, int]:
    top = rows[:TOP]
    found = sum(any(r["_maj"] == a and r["_pur"] >= PURITY and r["status"] == "gap" for r in top) for a in removed)
    return found, sum(1 for r in top if r["status"] == "gap" and r["_maj"] not in removed)


def ranked(d: dict, weight=None, flags=None) -> tuple[list[dict], list]:
    """The rows re-sorted by ``weight`` (default: counted failed searches), then the shipped
    repeat order (``topic_order.order``) or, with ``flags(d, rows, centres)`` (each row: the row
    it repeats or None), ranked as the shipped discount ranks them."""
    from carebase.report import topic_order
    from carebase.report.topic_evidence import REPEATS, REPEATS_CREDIT, TWINS

    rows, C = d["rows"], d["centres"]
    w = [weight(r) if weight else r.get("counted", r["failed"]) for r in rows]
    idx = sorted(range(len(rows)), key=lambda i: (-w[i], i))
    rows2, C2 = [rows[i] for i in idx], C[idx]
    pos = {j: k for k, j in enumerate(idx)}
    apart = {(pos[a], pos[b]) for a, b in d["apart"]}
    threshold, discount = REPEATS["embedding"]
    if flags is None:
        new, rep = topic_order.order(C2, threshold, [w[i] for i in idx], discount, apart, TWINS["embedding"],
                                     credit=REPEATS_CREDIT["embedding"])
        return [rows2[i] for i in new], rep
    rep = flags(d, rows2, C2, apart)
    w2 = [w[i] * (discount if f is not None else 1.0) for i, f in zip(idx, rep)]
    return [rows2[i] for i in sorted(range(len(rows2)), key=lambda i: (-w2[i], i))], rep


def shipped_flags(d, rows, C, apart):
    from carebase.report import topic_order
    from carebase.report.topic_evidence import REPEATS, TWINS

    return topic_order.repeats(C, REPEATS["embedding"][0], apart, [r.get("counted", r["failed"]) for r in rows],
                               TWINS["embedding"])


def planned_vectors(d: dict, embeddings) -> np.ndarray:
    """Each of the first ``PLANNED`` rows' suggested article (title, keywords) as an item's vector
    (zero for findability rows: their item exists and was compared already)."""
    rows = d["rows"]
    P = np.zeros((len(rows), d["centres"].shape[1]), dtype=np.float32)
    texts = {}
    for i, r in enumerate(rows[:PLANNED]):
        sug = r.get("suggestion") or {}
        if r["status"] == "gap" and sug:
            texts[i] = ". ".join(p for p in (sug.get("title", ""), ", ".join(sug.get("keywords", []))) if p)
    if texts:
        V = embeddings.encode(list(texts.values()), [() for _ in texts], "passage")
        P[list(texts)] = V
    d["planned"] = {r["topic_id"]: P[i] for i, r in enumerate(rows)}
    return P


def planned_flags(threshold: float, how: str):
    def flags(d, rows, C, apart):
        P = np.stack([d["planned"][r["topic_id"]] for r in rows])
        ship = shipped_flags(d, rows, C, apart) if how != "alone" else [None] * len(rows)
        out, firsts = [], []
        for i in range(len(rows)):
            mine = None
            if firsts and C[i].any():
                sims = P[firsts] @ C[i]
                sims = np.where([(i, j) in apart for j in firsts], -np.inf, sims)
                b = int(np.argmax(sims))
                if sims[b] >= threshold:
                    mine = firsts[b]
            if how == "and":
                f = ship[i] if ship[i] is not None and float(P[ship[i]] @ C[i]) >= threshold else None
            elif how == "or":
                f = ship[i] if ship[i] is not None else mine
            else:
                f = mine
            out.append(f)
            if f is None and C[i].any():
                firsts.append(i)
        return out
    return flags


def reassigned(d: dict, margin: float) -> dict:
    """The rows with every wording moved to the nearest row centre when nearer by ``margin``."""
    io = intents()
    rows, C = d["rows"], d["centres"]
    owner, vecs, queries = [], [], []
    for i, members in enumerate(d["members"]):
        for vec, q in members:
            if vec is not None:
                owner.append(i), vecs.append(vec), queries.append(q)
    S = np.stack(vecs) @ C.T
    new = [int(np.argmax(S[k])) if S[k].max() >= S[k, i] + margin else i for k, i in enumerate(owner)]
    out, keep = [], []
    for i, r in enumerate(rows):
        c: Counter = Counter()
        for k, o in enumerate(new):
            if o == i:
                for q, n in queries[k].items():
                    c[io.get(" ".join(q.lower().split()), "?")] += n
        if c:
            m, n = c.most_common(1)[0]
            out.append(dict(r, _maj=m, _pur=n / sum(c.values()), counted=sum(c.values())))
            keep.append(i)
    pos = {j: k for k, j in enumerate(keep)}
    return dict(d, rows=out, centres=C[keep], apart={(pos[a], pos[b]) for a, b in d["apart"] if a in pos and b in pos})


def nearest_item(r: dict) -> float:
    return ((r.get("evidence") or {}).get("most_similar") or {}).get("similarity") or 0.0


def reached(r: dict) -> int:
    return sum(x["counted"] for x in (r.get("evidence") or {}).get("reached", []))


def variants() -> dict:
    out = {"shipped": {}}
    out["findability last"] = {"weight": lambda r: r["counted"] if r["status"] == "gap" else r["counted"] * 1e-3}
    out["unanswered (failed less clients that reached an item)"] = {"weight": lambda r: max(r["counted"] - reached(r), 0)}
    out["× failed share of its searches"] = {"weight": lambda r: r["counted"] ** 2 / (r["counted"] + (r.get("found_counted") or 0))}
    for g in (0.5, 1, 2):
        out[f"nearest item: gap × (1 − s)^{g}"] = {"weight": lambda r, g=g: r["counted"] * (
            max(1 - nearest_item(r), 0) ** g if r["status"] == "gap" else 1)}
    for s0 in (0.3, 0.4, 0.5):
        out[f"nearest item: gap halved from {s0} to {ITEM}"] = {"weight": lambda r, s0=s0: r["counted"] * (
            1 - 0.5 * min(max((nearest_item(r) - s0) / (ITEM - s0), 0), 1) if r["status"] == "gap" else 1)}
    for t in (0.55, 0.6, ITEM):
        out[f"planned article ≥ {t}, alone"] = {"flags": planned_flags(t, "alone")}
    for t in (0.6, ITEM):
        out[f"planned article ≥ {t} and centre"] = {"flags": planned_flags(t, "and")}
        out[f"planned article ≥ {t} or centre"] = {"flags": planned_flags(t, "or")}
    for m in (0.0, 0.02, 0.05):
        out[f"reassigned (margin {m})"] = {"reassign": m}
    return out


def meets(per: list, line: int = 14) -> int:
    return sum(f >= line and c <= 2 for f, c in per)


def summary(per: list) -> str:
    return (f"found {sum(f for f, _ in per)} of {15 * len(per)}, runs meeting {meets(per)} of {len(per)}, "
            f"covered gaps {sum(c for _, c in per)} (most in a run {max(c for _, c in per)}); per run {[f for f, _ in per]}")


def trial(args) -> None:
    from carebase.report.topic_vectors import open_embeddings

    io, catalogue, embeddings = intents(), harness.load_helpcentre(), open_embeddings(None)
    res: dict = {}
    vs = variants()
    for seed in args.seeds:
        d = load(args.cache, seed, io, set(removed_articles(catalogue, seed)))
        planned_vectors(d, embeddings)
        o, _ = ranked(d)
        if [r["topic_id"] for r in o] != d["report_order"]:
            print(f"{seed}: the shipped order is not reproduced", flush=True)
        for name, v in vs.items():
            dd = reassigned(d, v["reassign"]) if "reassign" in v else d
            res.setdefault(name, {})[seed] = score(ranked(dd, v.get("weight"), v.get("flags"))[0], d["removed"])
    seeds = list(args.seeds)
    for name in vs:
        print(f"{name:58} {summary([res[name][s] for s in seeds])}")
    folds = [[s for s in f if s in seeds] for f in FOLDS]
    if all(folds):
        def key(name, on):
            per = [res[name][s] for s in on]
            return (-meets(per), -sum(f for f, _ in per), sum(c for _, c in per), name != "shipped")
        held: list = []
        for k, fold in enumerate(folds):
            on = [s for j, f in enumerate(folds) if j != k for s in f]
            best = min(vs, key=lambda n: key(n, on))
            per = [res[best][s] for s in fold]
            held += per
            print(f"fold {k + 1}: chosen on the other two: {best}; on this fold {summary(per)} "
                  f"(shipped {summary([res['shipped'][s] for s in fold])})")
        print(f"held out in folds: {summary(held)}")


def misses(args) -> None:
    io, catalogue = intents(), harness.load_helpcentre()
    small, above_small = [], []
    for seed in args.seeds:
        d = load(args.cache, seed, io, set(removed_articles(catalogue, seed)))
        o, rep = ranked(d)
        C = d["centres"]
        first = {}
        for i, r in enumerate(d["rows"]):
            first.setdefault(r["_maj"], i)
        top = o[:TOP]
        for a in sorted(d["removed"]):
            if any(r["_maj"] == a for r in top):
                continue  # found, or class (c)/(d)
            pure = [k for k, r in enumerate(o) if r["_maj"] == a and r["status"] == "gap" and r["_pur"] >= PURITY]
            if not pure:
                continue
            m = o[pure[0]]
            others = [x for x in top if x["_kind"] != "first removed"]
            kinds = Counter(x["_kind"] + (" (flagged)" if rep[x["_i"]] is not None else "") +
                            ("" if x["status"] == "gap" else f" {x['status']}") for x in others)
            j, i = pure[0], m["_i"]  # its place now; its place by failed searches (``rep``'s index)
            flag = rep[i]
            near = float((C[:i] @ C[i]).max()) if i else 0.0
            own = [float(C[first[x["_maj"]]] @ C[x["_i"]]) for x in others if x["_kind"].startswith("second")]
            said = (f", flagged as a repeat of #{o.index(d['rows'][flag]) + 1} ({d['rows'][flag]['_maj'].split('/')[-1]}, "
                    f"{float(C[flag] @ C[i]):.2f})" if flag is not None else "")
            print(f"{seed}: {a.split('/')[-1]} own row #{j + 1}, {m['counted']} failed{said}; nearest row above "
                  f"{near:.2f}; the 20th row {top[-1]['counted']}; above it, not first rows of removed needs: "
                  f"{dict(kinds)} with {sorted(x['counted'] for x in others)} failed; second rows' similarity to "
                  f"their need's first row: median {np.median(own) if own else float('nan'):.2f}")
            if flag is None and m["counted"] <= 12:
                small.append(m)
                above_small += [x for x in others if x["_kind"] == "second removed" and rep[x["_i"]] is None]

    def knows(rows):
        return (f"{len(rows)} rows: every search failed {np.mean([(r.get('found_counted') or 0) == 0 for r in rows]):.2f}, "
                f"no journey reached an item {np.mean([reached(r) == 0 for r in rows]):.2f}, nearest item median "
                f"{np.median([nearest_item(r) for r in rows]):.2f} (below {ITEM}: {np.mean([nearest_item(r) < ITEM for r in rows]):.2f}), "
                f"tightness median {np.median([r['tightness'] for r in rows]):.3f}, failed median {np.median([r['counted'] for r in rows])}")
    if small:
        print("small (b) misses (≤ 12 failed, not flagged):", knows(small))
        print("unflagged second rows above them:", knows(above_small))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=("capture", "trial", "misses"))
    ap.add_argument("seeds", type=int, nargs="+")
    ap.add_argument("--root", default="/tmp/gaps/devreal", help="the folder holding heldout-SEED stores (copies)")
    ap.add_argument("--cache", default="/tmp/gaps/cap", help="where capture keeps the backlog rows")
    args = ap.parse_args(argv)
    {"capture": capture, "trial": trial, "misses": misses}[args.step](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
