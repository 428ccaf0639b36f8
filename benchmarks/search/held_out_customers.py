"""What the report says when the held-out customers behave as real ones do (RESULTS "Session 48
(`harness`)"): one held-out run played with ``--customers realistic`` against the same seed played
the plain way, both reported with the same code.

    python benchmarks/search/held_out_customers.py --real DIR --plain DIR [--set second|third --data PATH]

DIR: a ``held_out_topics.py --keep DIR`` folder with its report made (``round/feedback.db``,
``round/report/report.json``, ``held_out_topics.json``). Per store: found and covered gaps (the
issue's scorer, as ``held_out_topics.json`` says), the top-20 rows by status, Failing content's rows
and, for each, how many of its "No" votes came from customers whose own need was another article
(misdirected: a wrong click, then "No"), poor answers, rows with ``near_page`` (twin-need gaps:
``near_page.twin``), the store's "No" votes and contacts, and the learned evidence
(``carebase.learned.journeys.evidence``) checked against each journey: a (wording, item) taught by
a journey that voted "No" on the item, or clicked it without a "Yes" and then contacted support, is
a product fault ("not followed by a No or contact support"); one taught by a wrong click with
nothing after it is counted (``wrong_lessons``), as the product allows it.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402


def need_of(queries) -> dict[str, str]:
    """Each wording (as typed, and as the store keeps it) → the article it is a need for."""
    from carebase.service.validation import customer_text

    out: dict[str, str] = {}
    for q in queries:
        for text in (q.text, customer_text(q.text[:200]) or ""):
            out.setdefault(" ".join(text.lower().split()), q.target)
    return out


def _key(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def store_facts(db: Path, needs: dict[str, str]) -> dict:
    from sqlalchemy import create_engine

    from carebase.learned.journeys import evidence

    conn = sqlite3.connect(db)
    searched = {j: q for j, q in conn.execute("SELECT journey, query FROM events WHERE type = 'search'")}
    no_votes = conn.execute("SELECT journey, item_id FROM events WHERE type = 'vote' AND value = 0").fetchall()
    yes = {(j, i) for j, i in conn.execute("SELECT journey, item_id FROM events WHERE type = 'vote' AND value = 1")}
    contacts = conn.execute("SELECT journey, item_id, query, received_ms, client_ms FROM events "
                            "WHERE type = 'contact'").fetchall()
    clicks = {(j, i): ms for j, i, ms in conn.execute(
        "SELECT journey, item_id, coalesce(client_ms, received_ms) FROM events WHERE type = 'click'")}
    days = conn.execute("SELECT count(DISTINCT received_ms / 86400000) FROM events").fetchone()[0]
    conn.close()
    misdirected = Counter(item for j, item in no_votes if needs.get(_key(searched.get(j))) not in (None, item))
    contacted_after = {}
    for j, _item, _q, received, client in contacts:
        contacted_after[j] = max(contacted_after.get(j, 0), client or received)
    said = set(no_votes)
    faults, wrong_lessons, lessons = [], 0, 0
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as c:
        for ev in evidence(c):
            lessons += 1
            said_no = (ev.journey, ev.item_id) in said
            click = clicks.get((ev.journey, ev.item_id))
            left = click is not None and (ev.journey, ev.item_id) not in yes and contacted_after.get(ev.journey, -1) > click
            if said_no or left:
                faults.append({"wording": ev.wording, "item": ev.item_id, "journey": ev.journey,
                               "why": "voted No" if said_no else "contacted support after the click"})
            need = needs.get(_key(ev.wording))
            wrong_lessons += need is not None and need != ev.item_id
    engine.dispose()
    return {"no_votes": len(no_votes), "no_misdirected": sum(misdirected.values()), "contacts": len(contacts),
            "contacts_from_a_page": sum(1 for c in contacts if c[1]), "days": days,
            "misdirected_by_item": dict(misdirected), "lessons": lessons, "wrong_lessons": wrong_lessons,
            "lesson_faults": faults[:20], "lesson_fault_count": len(faults)}


def _near(missing: dict, rank: int) -> dict:
    row = next((c for c in missing["clusters"] if c["rank"] == rank), {})
    near = row.get("near_page") or {}
    return {"near_page": near.get("id"), "twin": near.get("twin")}


def report_facts(work: Path) -> dict:
    report = json.loads((work / "round" / "report" / "report.json").read_text())
    scored = json.loads((work / "held_out_topics.json").read_text())
    missing = report["missing"]
    rows = [*missing["clusters"], *missing.get("filled", []), *missing.get("poor_answers", [])]
    near = [r for r in rows if r.get("near_page")]
    return {"found": scored["found"], "removed": scored["removed"], "covered_gaps": scored["covered_gaps"],
            "top20_status": dict(Counter(r["status"] for r in scored["rows"])),
            "failing": [{"id": f.get("id"), "n": f.get("n"), "unhelpful": f.get("unhelpful"),
                         "verdict": "near need" if (f.get("near_need") or {}).get("at_fault") is False else "fix"}
                        for f in report.get("failing", []) if not f.get("insufficient")],
            "covered": [{"rank": r["rank"], "failed": r["failed"], "majority": r["majority"], "purity": r["purity"],
                         **_near(missing, r["rank"])} for r in scored["rows"]
                        if r["status"] == "gap" and r["majority"] not in scored["per_topic"]],
            "poor_answers": len(missing.get("poor_answers", [])),
            "near_page": len(near), "twin_gaps": sum(1 for r in near if (r["near_page"] or {}).get("twin")),
            "baseline": report["summary"].get("baseline"), "votes": report["summary"].get("votes"),
            "misses": sorted(a for a, t in scored["per_topic"].items() if not t["found"])}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", required=True, type=Path, help="the run played with --customers realistic")
    ap.add_argument("--plain", required=True, type=Path, help="the same seed played the plain way")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    for work in (args.real, args.plain):
        for need in ("held_out_topics.json", "round/feedback.db", "round/report/report.json"):
            if not (work / need).exists():
                sys.exit(f"{work / need}: not found (a held_out_topics.py --keep folder with its report made)")
    needs = need_of(harness.query_set(args).queries())
    out = {}
    for name, work in (("realistic", args.real), ("plain", args.plain)):
        out[name] = {**report_facts(work), **store_facts(work / "round" / "feedback.db", needs)}
    (args.real / "customers_compare.json").write_text(json.dumps(out, indent=1))
    for name, f in out.items():
        failing = ", ".join(f"{r['id']} ({r['verdict']}: {r['unhelpful']} No of {r['n']}, misdirected "
                            f"{f['misdirected_by_item'].get(r['id'], 0)})" for r in f["failing"]) or "none"
        covered = "; ".join(f"#{c['rank']} {c['majority']} ({c['failed']} failed, purity {c['purity']}, near page "
                            f"{c['near_page']}, twin {c['twin']})" for c in f["covered"])
        print(f"{name}: found {f['found']} of {f['removed']}, covered gaps {f['covered_gaps']} {covered}, top 20 "
              f"{f['top20_status']}; Failing rows {len(f['failing'])}: {failing}; poor answers {f['poor_answers']}; "
              f"near_page rows {f['near_page']} (twin gaps {f['twin_gaps']}); store: No votes {f['no_votes']} "
              f"(misdirected {f['no_misdirected']}), contacts {f['contacts']}, days {f['days']}; learned: "
              f"{f['lessons']} lessons, {f['wrong_lessons']} to another need's article, "
              f"{f['lesson_fault_count']} after a No or a contact; misses {f['misses']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
