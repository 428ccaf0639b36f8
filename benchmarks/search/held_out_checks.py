"""Held-out topics: what a grouping or ranking mechanism breaks that "found" and "covered gaps"
cannot see (session 49, ``held_out_topics.py``'s checks beside its scorer; they change neither).

Every row of the report's missing-content backlog gets the need of its failed searches, as
the scorer does (``majority``: the BANKING77 / CLINC150 / ACID intent with most of its failed
searches; ``purity``: that share; ``?`` when no wording maps to a labelled query). Then:

* ``rows_per_need``: needs that are the majority need of two or more top-``TOP`` rows (removed or
  covered): one need shown as several rows (a split pass cutting a one-need row, a repeat the
  ranking did not recognise). Each with its ranks, purities and labels.
* ``flags``: every row the report flags, anywhere in the backlog: ``repeats`` ("may be the same
  need as #k", listed after the rows that repeat nothing) and ``twin_of`` ("close to #k alone:
  ranked by its own failed searches"). A repeat flag is **wrong** when the row's majority need
  differs from #k's (a distinct need ranked lower as a repeat); a twin flag claims a distinct need
  beside #k, so it is **wrong** when both rows have the same majority need (one need listed twice,
  kept in place). ``unknown`` when either row's need is ``?``. Each flag also says ``share_there``:
  its row's need's share of #k's failed searches (a wrong repeat flag pointing at a mixed row that
  holds the need as a minority, ≥ 0.2, is half right), and ``by``: ``neighbours`` for a repeat flag the
  report made by its wordings' neighbours (``repeats.neighbours``, session 48), else ``centre``;
  ``neighbour_repeat_flags`` tallies those alone (they are also in ``repeat_flags``). ``demoted_removed``: wrong repeat
  flags on a removed need's own pure gap row ranked below ``TOP``; ``demoted_missed``: those whose
  need is not found (no other row counted it: the miss class b1, a find the flag cost).
* ``impure_rows``: top-``TOP`` rows of purity below ``PURITY``, with their three largest needs.
* ``found_purity``: each found removed topic's row purity (the row ``found`` counted).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import median

TOP = 20
PURITY = 0.8
LINKS = ("repeats", "twin_of")


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def row_needs(report: dict, intent_of: dict[str, str]) -> list[dict]:
    """Each backlog row in listed order: rank, status, label, failed, majority need, purity, its
    three largest needs, and the rank each flag points at (``repeats``, ``twin_of``; or None)."""
    out = []
    for row in report["missing"]["clusters"]:
        counts: Counter = Counter()
        for entry in row.get("all_queries", row["queries"]):
            counts[intent_of.get(_key(entry["query"]), "?")] += entry["count"]
        majority, n = counts.most_common(1)[0] if counts else ("?", 0)
        out.append({"rank": row["rank"], "status": row["status"], "label": row["label"], "failed": row["failed"],
                    "majority": majority, "purity": round(n / max(1, sum(counts.values())), 3),
                    "mix": dict(counts.most_common(3)), "counts": counts,
                    **{link: (row.get(link) or {}).get("rank") for link in LINKS},
                    "by_neighbours": "neighbours" in (row.get("repeats") or {})})
    return out


def _verdict(link: str, row: dict, target: dict | None) -> str:
    if target is None or "?" in (row["majority"], target["majority"]):
        return "unknown"
    same = row["majority"] == target["majority"]
    if link == "repeats":
        return "right" if same else "wrong"
    return "wrong" if same else "right"  # a twin flag says: a distinct need beside #k


def checks(report: dict, intent_of: dict[str, str], removed, per_topic: dict) -> dict:
    """The four checks (module docstring) of one report; ``per_topic``: the scorer's."""
    removed = set(removed)
    rows = row_needs(report, intent_of)
    top = rows[:TOP]
    by_rank = {r["rank"]: r for r in rows}

    shown: dict[str, list[dict]] = defaultdict(list)
    for r in top:
        if r["majority"] != "?":
            shown[r["majority"]].append(r)
    rows_per_need = [{"need": need, "removed": need in removed, "ranks": [r["rank"] for r in rs],
                      "purity": [r["purity"] for r in rs], "status": [r["status"] for r in rs],
                      "labels": [r["label"] for r in rs]}
                     for need, rs in shown.items() if len(rs) >= 2]

    flags = []
    for r in rows:
        for link in LINKS:
            if r[link] is None:
                continue
            target = by_rank.get(r[link])
            flags.append({"kind": link, "rank": r["rank"], "points_at": r[link], "need": r["majority"],
                          "by": ("neighbours" if r["by_neighbours"] else "centre") if link == "repeats" else "centre",
                          "need_removed": r["majority"] in removed, "purity": r["purity"], "status": r["status"],
                          "points_at_need": target["majority"] if target else "?",
                          "share_there": round(target["counts"][r["majority"]] / max(1, sum(target["counts"].values())), 3)
                          if target else 0.0,
                          "verdict": _verdict(link, r, target)})
    tally = {link: Counter(f["verdict"] for f in flags if f["kind"] == link) for link in LINKS}
    by_neighbours = Counter(f["verdict"] for f in flags if f["kind"] == "repeats" and f["by"] == "neighbours")
    demoted = [f for f in flags if f["kind"] == "repeats" and f["verdict"] == "wrong" and f["need_removed"]
               and f["status"] == "gap" and f["purity"] >= PURITY and f["rank"] > TOP]

    impure = [{"rank": r["rank"], "status": r["status"], "label": r["label"], "majority": r["majority"],
               "purity": r["purity"], "mix": {k if k == "?" else f"{k} ({'removed' if k in removed else 'covered'})": v
                                              for k, v in r["mix"].items()}}
              for r in top if r["purity"] < PURITY]
    found_purity = {a: t["row"]["purity"] for a, t in per_topic.items() if t["found"]}
    return {
        "rows_per_need": rows_per_need,
        "needs_in_several_rows": len(rows_per_need),
        "flags": flags,
        "repeat_flags": {"right": tally["repeats"]["right"], "wrong": tally["repeats"]["wrong"],
                         "unknown": tally["repeats"]["unknown"]},
        "neighbour_repeat_flags": {"right": by_neighbours["right"], "wrong": by_neighbours["wrong"],
                                   "unknown": by_neighbours["unknown"]},
        "twin_flags": {"right": tally["twin_of"]["right"], "wrong": tally["twin_of"]["wrong"],
                       "unknown": tally["twin_of"]["unknown"]},
        "demoted_removed": len(demoted),
        "demoted_missed": len({f["need"] for f in demoted if not per_topic.get(f["need"], {}).get("found")}),
        "impure_rows": impure,
        "found_purity": found_purity,
    }


def summary(c: dict) -> list[str]:
    """The printed lines of ``checks``' result."""
    def need(name, is_removed):
        return f"{name} ({'removed' if is_removed else 'covered'})"

    lines = [f"needs shown as ≥ 2 top-{TOP} rows: {c['needs_in_several_rows']}"]
    lines += [f"  {need(n['need'], n['removed'])}: rows {n['ranks']} purity {n['purity']} {n['status']}"
              for n in c["rows_per_need"]]
    rep, twin = c["repeat_flags"], c["twin_flags"]
    lines.append(f"repeat flags ('may be the same need as #k'): right {rep['right']}, wrong {rep['wrong']}"
                 + (f", unknown {rep['unknown']}" if rep["unknown"] else "")
                 + f"; wrong on a removed need's pure gap row ranked below {TOP}: {c['demoted_removed']}, "
                 f"of {c['demoted_missed']} needs not found")
    nb = c.get("neighbour_repeat_flags")
    if nb and sum(nb.values()):
        lines.append(f"  of them by the wordings' neighbours: right {nb['right']}, wrong {nb['wrong']}")
    lines.append(f"twin flags ('close to #k alone', a distinct need): right {twin['right']}, "
                 f"wrong (the same need as #k) {twin['wrong']}" + (f", unknown {twin['unknown']}" if twin["unknown"] else ""))
    lines += [f"  WRONG {f['kind']}{' (neighbours)' if f['by'] == 'neighbours' else ''}: row {f['rank']} {need(f['need'], f['need_removed'])} purity {f['purity']:.2f} "
              f"→ #{f['points_at']} {f['points_at_need']}" for f in c["flags"] if f["verdict"] == "wrong"]
    lines.append(f"top-{TOP} rows below purity {PURITY}: {len(c['impure_rows'])}")
    lines += [f"  row {r['rank']} {r['status']} purity {r['purity']:.2f} mix {r['mix']}" for r in c["impure_rows"]]
    fp = sorted(c["found_purity"].values())
    lines.append(f"found rows' purity: {len(fp)} rows" + (f", min {fp[0]:.2f}, median {median(fp):.2f}" if fp else ""))
    return lines
