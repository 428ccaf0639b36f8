"""Held-out topics (issue 12, session 35, class (d)): two near-duplicate needs removed in one seed
end in one row. Is there evidence beyond the wordings' embedding that a row holds two needs, on
the *real* development runs (kept stores of ``held_out_topics.py --seed S --keep ROOT/heldout-S
--play-only``)? Three steps:

``capture``: each store's ``carebase report`` is made in this process with the code installed,
and the grouped rows (the 60 largest, as grouped, before the journeys split) are kept in
``--cache`` with, per wording, its meaning vector, its stems, its failed searches and the first
five results search shows now for each of its three most heard searches (the report's replayer).

``evidence``: for every top-20 row (as grouped) and every split of it by a stem held by 20–80 %
of its searches, how well the evidence separates the splits that give two pure halves of two
different intents (purity ≥ 0.8 each) from the splits of rows of one need (purity ≥ 0.8): the
meaning gap between the halves and the difference of the results shown for them, each as a
z-score against random splits of the same sizes (AUC). Then a split rule in folds (chosen on
the first 11 seeds, confirmed on the other 12): the row's two halves by meaning (2-means on the
embedding), split when each half has a stem held by ≥ H of it and ≤ L of the other half (or one
half, ``--one-side``), both halves ≥ M failed searches and their average linkage < LK; counted:
rows of two intents it splits into two pure halves, rows of one intent it splits.

``rule``: the split rule applied to the report's grouped rows (before the journeys split),
scored as ``held_out_topics.py`` scores (own top-20 row, gap, purity ≥ 0.8; covered gaps),
with the shipped report (``--rule none``) next to it, on the same code.

    python benchmarks/search/held_out_twins.py capture SEED... --root DIR --cache DIR
    python benchmarks/search/held_out_twins.py evidence SEED... --cache DIR
    python benchmarks/search/held_out_twins.py rule SEED... --root DIR [--rule none|words] [--params H,L,M,LK]

``capture`` and ``rule`` write each store's report again (``round/report``): use copies.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import itertools
import json
import pickle
import runpy
import sys
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from held_out_topics import PURITY, TOP, removed_articles, score  # noqa: E402

CAPTURED = 60
FOLD = 11  # the first 11 seeds given choose, the others confirm


def run_report(store: Path, on_rows) -> dict:
    """``carebase report`` on a kept store, in this process; ``on_rows(top, journeys, vector, label, keep)``
    sees (and may replace) the grouped rows before the journeys split."""
    from carebase.content import load_catalogue
    from carebase.output import open_output
    from carebase.report import topic_journeys

    rd = store / "round"
    open_output(rd / "report-site-data", load_catalogue(store / "content"))  # with this code, as gap_loop.run_report
    shipped = topic_journeys.apply

    def apply(top, journeys, vector, label, keep=(), counted=None):
        top = on_rows(top, vector, label, keep)
        return shipped(top, journeys, vector, label, keep=keep, counted=counted)

    argv = sys.argv
    sys.argv = ["carebase", "report", "--site-data", str(rd / "report-site-data"), "--db", f"sqlite:///{rd / 'feedback.db'}",
                "--out", str(rd / "report"), "--cache", str(rd / "report" / ".cache" / "carebase")]
    topic_journeys.apply = apply
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_module("carebase", run_name="__main__")
    except SystemExit as e:
        if e.code not in (0, None):
            raise
    finally:
        topic_journeys.apply, sys.argv = shipped, argv
    return json.loads((rd / "report" / "report.json").read_text())


def intents() -> dict[str, str]:
    from carebase.service.validation import customer_text

    out: dict[str, str] = {}
    for q in harness.load_queries(harness.load_intents()):
        if q.half == "A":  # as typed, and as the store keeps it (held_out_topics.score)
            for text in (q.text, customer_text(q.text[:200]) or ""):
                out.setdefault(" ".join(text.lower().split()), q.target)
    return out


def capture(args) -> None:
    from carebase.report import missing

    Path(args.cache).mkdir(parents=True, exist_ok=True)
    for seed in args.seeds:
        state: dict = {}
        section = missing.missing_section

        def keep_replayer(catalogue, rows, normaliser, replayer, *a, **k):
            state["replayer"] = replayer
            return section(catalogue, rows, normaliser, replayer, *a, **k)

        def on_rows(top, vector, label, keep):
            rep = state["replayer"]
            state["rows"] = [{"failed": t.failed, "members": [
                {"key": m.key, "queries": dict(m.queries), "failed": m.failed, "vec": np.asarray(vector(m), dtype=np.float32),
                 "results": [rep.search(q, limit=5) for q in m.ranked_queries()[:3]]} for m in t.members]}
                for t in top[:CAPTURED]]
            return top

        missing.missing_section = keep_replayer
        try:
            run_report(Path(args.root) / f"heldout-{seed}", on_rows)
        finally:
            missing.missing_section = section
        (Path(args.cache) / f"{seed}.pkl").write_bytes(pickle.dumps(state["rows"]))
        print(f"{seed}: {len(state['rows'])} rows captured", flush=True)


def load(cache: str, seed: int, intent_of: dict) -> list[dict]:
    rows = pickle.loads((Path(cache) / f"{seed}.pkl").read_bytes())
    for r in rows:
        r["intents"] = Counter()
        for m in r["members"]:
            m["intents"] = Counter()
            for q, n in m["queries"].items():
                m["intents"][intent_of.get(" ".join(q.lower().split()), "?")] += n
            r["intents"].update(m["intents"])
        r["pur"] = r["intents"].most_common(1)[0][1] / max(1, sum(r["intents"].values()))
    return rows


def sums(part):
    w = np.array([np.sqrt(m["failed"]) for m in part])
    return (w[:, None] * np.stack([m["vec"] for m in part])).sum(0), w.sum()


def linkage(a, b) -> float:
    (sa, wa), (sb, wb) = sums(a), sums(b)
    return float(sa @ sb) / (wa * wb)


def results_apart(a, b) -> float:
    """Total variation between the results shown for the two halves (first search's top 3, by failed searches)."""
    def shown(part):
        c = Counter()
        for m in part:
            for item, _ in (m["results"][0] if m["results"] else [])[:3]:
                c[item] += m["failed"]
        return c
    ca, cb = shown(a), shown(b)
    na, nb = sum(ca.values()) or 1, sum(cb.values()) or 1
    return 0.5 * sum(abs(ca[k] / na - cb[k] / nb) for k in set(ca) | set(cb))


def two_intents(a, b) -> bool:
    ca, cb = Counter(), Counter()
    for m in a:
        ca.update(m["intents"])
    for m in b:
        cb.update(m["intents"])
    (ia, na), (ib, nb) = ca.most_common(1)[0], cb.most_common(1)[0]
    return ia != ib and na / sum(ca.values()) >= PURITY and nb / sum(cb.values()) >= PURITY


def zscore(members, k, stat, observed, rng, n=100) -> float:
    vals = []
    for _ in range(n):
        idx = rng.permutation(len(members))
        vals.append(stat([members[i] for i in idx[:k]], [members[i] for i in idx[k:]]))
    return (observed - float(np.mean(vals))) / (float(np.std(vals)) + 1e-9)


def auc(pos, neg) -> float:
    return float(np.mean([[1.0 if p > q else 0.5 if p == q else 0.0 for q in neg] for p in pos])) if pos and neg else float("nan")


def two_means(members):
    V = np.stack([m["vec"] for m in members]).astype(np.float64)
    w = np.array([np.sqrt(m["failed"]) for m in members])
    c = (w[:, None] * V).sum(0)
    a = int(np.argmin(V @ c))
    b = int(np.argmin(V @ V[a]))
    ca, cb, lab = V[a].copy(), V[b].copy(), None
    for _ in range(20):
        new = (V @ ca < V @ cb).astype(int)
        if lab is not None and (new == lab).all():
            break
        lab = new
        if lab.all() or not lab.any():
            return None
        ca, cb = (w[lab == 0, None] * V[lab == 0]).sum(0), (w[lab == 1, None] * V[lab == 1]).sum(0)
        ca, cb = ca / np.linalg.norm(ca), cb / np.linalg.norm(cb)
    return [m for m, x in zip(members, lab) if x == 0], [m for m, x in zip(members, lab) if x == 1]


def marked(a, b, high: float, low: float) -> bool:
    """A stem held by ≥ ``high`` of half ``a``'s searches and ≤ ``low`` of half ``b``'s."""
    def shares(part):
        c, total = Counter(), sum(m["failed"] for m in part)
        for m in part:
            for s in set(m["key"]):
                c[s] += m["failed"] / total
        return c
    sa, sb = shares(a), shares(b)
    return any(v >= high and sb.get(s, 0) <= low for s, v in sa.items())


def fires(a, b, high, low, least, below, one_side) -> bool:
    if min(sum(m["failed"] for m in a), sum(m["failed"] for m in b)) < least or linkage(a, b) >= below:
        return False
    ma, mb = marked(a, b, high, low), marked(b, a, high, low)
    return (ma or mb) if one_side else (ma and mb)


def evidence(args) -> None:
    intent_of = intents()
    rng = np.random.default_rng(0)
    good: dict[str, list] = {"meaning": [], "results": []}
    one: dict[str, list] = {"meaning": [], "results": []}
    halves = {}
    for seed in args.seeds:
        rows = load(args.cache, seed, intent_of)
        halves[seed] = []
        for r in rows[:TOP]:
            members = r["members"]
            if len(members) < 4:
                continue
            stems = Counter()
            for m in members:
                for s in set(m["key"]):
                    stems[s] += m["failed"]
            for s, n in stems.items():
                if not 0.2 <= n / r["failed"] <= 0.8:
                    continue
                a = [m for m in members if s in m["key"]]
                b = [m for m in members if s not in m["key"]]
                if len(a) < 2 or len(b) < 2:
                    continue
                zm = zscore(members, len(a), lambda x, y: -linkage(x, y), -linkage(a, b), rng)
                zr = zscore(members, len(a), results_apart, results_apart(a, b), rng)
                if r["pur"] < PURITY and two_intents(a, b):
                    good["meaning"].append(zm), good["results"].append(zr)
                elif r["pur"] >= PURITY:
                    one["meaning"].append(zm), one["results"].append(zr)
            split = two_means(members)
            if split:
                halves[seed].append((r["pur"], r["pur"] < PURITY and two_intents(*split), split))
    print(f"splits of a top-20 row by a stem of 20-80 % of its searches: {len(good['meaning'])} give two pure halves of "
          f"two intents, {len(one['meaning'])} are of rows of one intent (purity >= {PURITY})")
    for k in ("meaning", "results"):
        print(f"  {k} apart (z against random splits): AUC {auc(good[k], one[k]):.3f}")
    both = [g + r for g, r in zip(good["meaning"], good["results"])]
    print(f"  both: AUC {auc(both, [g + r for g, r in zip(one['meaning'], one['results'])]):.3f}")
    impure = sum(1 for s in halves for p, _, _ in halves[s] if p < PURITY)
    print(f"top-20 rows of purity < {PURITY}: {impure}; 2-means on meaning gives two pure halves of two intents for "
          f"{sum(g for s in halves for _, g, _ in halves[s])}")
    seeds = list(args.seeds)
    folds = (seeds[:FOLD], seeds[FOLD:])
    print("H L M LK one-side | choose: two-intent rows split, one-intent rows split | confirm: the same")
    table = []
    for high, low, least, below, one_side in itertools.product((0.7, 0.8, 0.9, 1.0), (0.0, 0.05, 0.1), (5, 10),
                                                                (0.6, 0.65, 0.7), (False, True)):
        counts = []
        for fold in folds:
            hit = wrong = 0
            for s in fold:
                for pur, ok, (a, b) in halves[s]:
                    if fires(a, b, high, low, least, below, one_side):
                        hit += ok
                        wrong += pur >= PURITY
            counts.append((hit, wrong))
        table.append((counts[0][0] - counts[0][1], (high, low, least, below, one_side), counts))
    for _, params, counts in sorted(table, key=lambda t: (-t[0], t[1]))[:args.show]:
        print(*params, "|", *counts[0], "|", *counts[1])


def rule(args) -> None:
    from carebase.report import topics as topic_grouping

    high, low, least, below = (float(x) for x in args.params.split(","))
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"]
    catalogue = harness.load_helpcentre()
    total = Counter()
    for seed in args.seeds:
        fired = []

        def on_rows(top, vector, label, keep):
            if args.rule == "none":
                return top
            out = []
            for t in top:
                view = [{"key": m.key, "failed": m.failed, "vec": np.asarray(vector(m), dtype=np.float64), "m": m}
                        for m in t.members]
                split = None if id(t) in keep or len(view) < 4 else two_means(view)
                if split is None or not fires(*split, high, low, least, below, args.one_side):
                    out.append(t)
                    continue
                parts = sorted((topic_grouping.make_topic([v["m"] for v in half], [vector(v["m"]) for v in half])
                                for half in split), key=lambda p: -p.failed)
                parts[0].id = t.id
                parts[1].id = "topic:" + hashlib.blake2b(f"{t.id}|two".encode(), digest_size=5).hexdigest()
                fired.append(f"{label(parts[0])} ({parts[0].failed}) / {label(parts[1])} ({parts[1].failed})")
                out += parts
            return out

        report = run_report(Path(args.root) / f"heldout-{seed}", on_rows)
        res = score(report, queries, removed_articles(catalogue, seed))
        total.update(found=res["found"], removed=res["removed"], runs=1, under=int(res["found"] < 14),
                     covered=res["covered_gaps"], split=len(fired))
        print(json.dumps({"seed": seed, "rule": args.rule, "found": res["found"], "covered_gaps": res["covered_gaps"],
                          "missed": sorted(a for a, t in res["per_topic"].items() if not t["found"]), "split": fired}),
              flush=True)
    print(f"{args.rule}: found {total['found']} of {total['removed']}, runs under 14: {total['under']} of {total['runs']}, "
          f"covered gaps {total['covered']}, rows split {total['split']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=("capture", "evidence", "rule"))
    ap.add_argument("seeds", type=int, nargs="+")
    ap.add_argument("--root", default="/tmp/twins/devreal", help="the folder holding heldout-SEED stores (copies)")
    ap.add_argument("--cache", default="/tmp/twins/cap", help="where capture keeps the grouped rows")
    ap.add_argument("--rule", choices=("none", "words"), default="words")
    ap.add_argument("--params", default="0.7,0.1,5,0.6", help="H,L,M,LK of the split rule")
    ap.add_argument("--one-side", action="store_true", help="a stem marking one half is enough")
    ap.add_argument("--show", type=int, default=12, help="evidence: rows of the grid shown, best on the choosing fold first")
    args = ap.parse_args(argv)
    {"capture": capture, "evidence": evidence, "rule": rule}[args.step](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
