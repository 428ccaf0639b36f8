"""A paired judge for strong-set rules: one run against a baseline run, query by query.

"Strong-only hit@5 within 0.01 of the whole list's" judged a rule by two averages. It sat at
its limit on the baseline itself (0.0100 on half A in session 34), and between two near rules
tens of queries change each way, so which side of 0.01 a rule lands on was noise. This judge
compares the same queries under both rules instead:

- **won / lost**: the queries of two or more words (after stop words) whose answer is among
  the first 5 strong matches under one rule and not the other; a two-sided **sign test** on
  those (exact binomial, p = 1 for no change) says whether the losses outnumber the wins more
  than chance would;
- **strong-set precision**: each query here has one answer, so the precision of the strong
  set is 1 / (its size) when the answer is among the strong matches (of the first 10 listed)
  and 0 otherwise; its mean change with a 95 % **bootstrap interval** (queries resampled,
  fixed seed), and the strong set's mean size.

Also the first listed result's hit@1, won / lost with a sign test (strong matches rank first,
so a strong rule moves the first result too).

A rule is better when its precision interval lies above 0 and the sign test does not find it
losing answers (p ≥ 0.05 or more won than lost).

**The weaker list** (session 38, ``list_table``; runs saved from then on carry it): over every
query of the split with words that count (one word too: the weaker list is not only long
questions'), from the whole list the search answers (every row, "Show weaker matches (N)" is N =
rows listed − strong):

- **weaker-list precision**: 1 / N when the answer's first row is among the weaker rows, else 0
  (the strong-set precision's measure, on the rows behind "Show weaker matches"); its mean
  change with a 95 % bootstrap interval;
- whole-list **hit@1, hit@5, hit@10** (the first result, the first 5 and the first page of 10,
  strong and weaker rows as listed): won / lost, each with a sign test;
- the answer **listed at all** (at any depth): won / lost, sign test;
- the rows listed and N, means.

    relevance.py --strong-only --save-runs base.json      # on the baseline's code
    relevance.py --strong-only --paired base.json          # on the rule's: one table per engine
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path


def outcomes(runs, queries) -> list[dict]:
    """Per query: its half, how many words count, whether the answer is among the first 5
    strong matches, and the strong set's size and precision (see the module docstring)."""
    out = []
    for run, q in zip(runs, queries):
        strong_ids = list(dict.fromkeys(run.strong_ids))
        held = q.target in strong_ids
        items = list(dict.fromkeys(run.ids))
        first = items[:1]
        row = {"q": q.text, "half": q.half, "words": run.words, "hit5": q.target in strong_ids[:5],
               "hit1": first == [q.target], "first": first[0] if first else None,
               "strong": run.strong, "precision": (1.0 / max(run.strong, 1)) if held else 0.0}
        total = getattr(run, "total", None)
        if total is not None:  # the whole list (the weaker list's measures; not the browser's)
            rank = getattr(run, "rank", None)
            weaker = max(0, total - run.strong)
            row.update({"total": total, "weaker": weaker, "listed": rank is not None,
                        "list5": q.target in items[:5], "list10": q.target in items[:10],
                        "weak_precision": (1.0 / weaker) if rank is not None and rank >= run.strong and weaker else 0.0})
        out.append(row)
    return out


def save(path: Path, engines: dict[str, list[dict]]) -> None:
    Path(path).write_text(json.dumps(engines), encoding="utf-8")


def load(path: Path) -> dict[str, list[dict]]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def sign_test(won: int, lost: int) -> float:
    """Two-sided exact binomial p-value of ``won`` against ``lost`` at even odds."""
    n = won + lost
    if n == 0:
        return 1.0
    k = min(won, lost)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def bootstrap(diffs: list[float], rounds: int = 2000, seed: int = 35) -> tuple[float, float]:
    """The 95 % percentile interval of the mean of ``diffs`` (queries resampled)."""
    if not diffs:
        return 0.0, 0.0
    rng = random.Random(seed)
    n = len(diffs)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def compare(base: list[dict], new: list[dict], split: str) -> dict:
    """The paired figures on one half ("A", "B" or "all"), multi-word queries only."""
    if len(base) != len(new) or any(b["q"] != n["q"] for b, n in zip(base, new)):
        raise SystemExit("paired: the baseline was saved from other queries (same set, --limit and order needed)")
    idx = [i for i, b in enumerate(base) if (split == "all" or b["half"] == split) and new[i]["words"] >= 2]
    won = sum(new[i]["hit5"] and not base[i]["hit5"] for i in idx)
    lost = sum(base[i]["hit5"] and not new[i]["hit5"] for i in idx)
    won1 = sum(new[i].get("hit1", False) and not base[i].get("hit1", False) for i in idx)
    lost1 = sum(base[i].get("hit1", False) and not new[i].get("hit1", False) for i in idx)
    diffs = [new[i]["precision"] - base[i]["precision"] for i in idx]
    n = max(1, len(idx))
    low, high = bootstrap(diffs)
    return {"queries": len(idx), "won": won, "lost": lost, "p": sign_test(won, lost),
            "won1": won1, "lost1": lost1, "p1": sign_test(won1, lost1),
            "hit5_base": sum(base[i]["hit5"] for i in idx) / n, "hit5_new": sum(new[i]["hit5"] for i in idx) / n,
            "precision_base": sum(base[i]["precision"] for i in idx) / n,
            "precision_new": sum(new[i]["precision"] for i in idx) / n, "low": low, "high": high,
            "size_base": sum(base[i]["strong"] for i in idx) / n, "size_new": sum(new[i]["strong"] for i in idx) / n}


def table(base: dict[str, list[dict]], new: dict[str, list[dict]]) -> str:
    out = ["| engine | split | multi-word queries | strong top 5 holds the answer: base → new | won | lost | "
           "sign test p | hit@1 (first listed) won / lost, p | strong-set precision: base → new | "
           "change, 95 % bootstrap | strong, mean: base → new |",
           "| --- | --- | ---: | --- | ---: | ---: | ---: | --- | --- | --- | --- |"]
    for engine, rows in new.items():
        if engine not in base:
            continue
        for split in ("A", "B", "all"):
            c = compare(base[engine], rows, split)
            if not c["queries"]:
                continue
            out.append(f"| {engine} | {split} | {c['queries']} | {c['hit5_base']:.4f} → {c['hit5_new']:.4f} | "
                       f"{c['won']} | {c['lost']} | {c['p']:.3g} | {c['won1']} / {c['lost1']}, {c['p1']:.3g} | "
                       f"{c['precision_base']:.4f} → "
                       f"{c['precision_new']:.4f} | {c['precision_new'] - c['precision_base']:+.4f} "
                       f"[{c['low']:+.4f}, {c['high']:+.4f}] | {c['size_base']:.2f} → {c['size_new']:.2f} |")
    return "\n".join(out)


LIST_MEASURES = (("hit1", "hit@1"), ("list5", "hit@5"), ("list10", "hit@10"), ("listed", "listed at all"))


def compare_list(base: list[dict], new: list[dict], split: str) -> dict | None:
    """The weaker list's paired figures on one half, every query with words that count (None
    when either run lacks the whole list)."""
    if len(base) != len(new) or any(b["q"] != n["q"] for b, n in zip(base, new)):
        raise SystemExit("paired: the baseline was saved from other queries (same set, --limit and order needed)")
    idx = [i for i, b in enumerate(base) if (split == "all" or b["half"] == split) and new[i]["words"] >= 1]
    if not idx or any("total" not in base[i] or "total" not in new[i] for i in idx):
        return None
    n = len(idx)
    out = {"queries": n}
    for key, _ in LIST_MEASURES:
        won = sum(bool(new[i][key]) and not base[i][key] for i in idx)
        lost = sum(bool(base[i][key]) and not new[i][key] for i in idx)
        out[key] = (sum(bool(base[i][key]) for i in idx) / n, sum(bool(new[i][key]) for i in idx) / n,
                    won, lost, sign_test(won, lost))
    low, high = bootstrap([new[i]["weak_precision"] - base[i]["weak_precision"] for i in idx])
    out["weak"] = (sum(base[i]["weak_precision"] for i in idx) / n, sum(new[i]["weak_precision"] for i in idx) / n,
                   low, high)
    out["rows"] = (sum(base[i]["total"] for i in idx) / n, sum(new[i]["total"] for i in idx) / n)
    out["n"] = (sum(base[i]["weaker"] for i in idx) / n, sum(new[i]["weaker"] for i in idx) / n)
    return out


def list_table(base: dict[str, list[dict]], new: dict[str, list[dict]]) -> str:
    """The weaker list's judge (module docstring): one row per engine and split."""
    out = ["| engine | split | queries | weaker-list precision: base → new | change, 95 % bootstrap | "
           + " | ".join(f"{label}: base → new, won / lost, p" for _, label in LIST_MEASURES)
           + " | rows listed, mean | weaker rows (N), mean |",
           "| --- | --- | ---: | --- | --- | " + " | ".join("---" for _ in LIST_MEASURES) + " | --- | --- |"]
    for engine, rows in new.items():
        if engine not in base:
            continue
        for split in ("A", "B", "all"):
            c = compare_list(base[engine], rows, split)
            if c is None:
                continue
            w = c["weak"]
            cells = [f"{c[k][0]:.4f} → {c[k][1]:.4f}, {c[k][2]} / {c[k][3]}, {c[k][4]:.3g}" for k, _ in LIST_MEASURES]
            out.append(f"| {engine} | {split} | {c['queries']} | {w[0]:.4f} → {w[1]:.4f} | {w[1] - w[0]:+.4f} "
                       f"[{w[2]:+.4f}, {w[3]:+.4f}] | " + " | ".join(cells)
                       + f" | {c['rows'][0]:.1f} → {c['rows'][1]:.1f} | {c['n'][0]:.1f} → {c['n'][1]:.1f} |")
    return "\n".join(out)
