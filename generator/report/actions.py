""""Start here": the report's top actions across sections, by customers affected.

A failing item counts the customers it left unhelped beyond a typical page (its impact,
a lower bound); a missing-content cluster counts its failed searches."""

from __future__ import annotations


def top_actions(report: dict, limit: int = 10) -> list[dict]:
    actions = []
    for row in report["failing"]:
        if row["insufficient"] or row["impact"] <= 0:
            continue
        reason = f"; most given reason: “{row['reasons'][0][0]}”" if row["reasons"] else ""
        actions.append({"verb": "Fix", "title": row["title"], "customers": round(row["impact"]),
                        "why": f"{row['unhelpful']} of {row['n']} votes say it did not help{reason}",
                        "source": row["source"], "section": "failing"})
    for row in report["missing"]["clusters"]:
        if row["status"] == "gap":
            actions.append({"verb": "Write", "title": row["suggestion"]["title"], "customers": row["failed"],
                            "why": f"{row['failed']} failed searches in {row['variants']} wordings",
                            "source": {"path": row["suggestion"]["path"], "line": 0, "href": row["suggestion"]["href"]},
                            "section": "missing"})
        elif row["status"] == "findability":
            closest = row["closest"]
            actions.append({"verb": "Retag", "title": closest["title"], "customers": row["failed"],
                            "why": f"customers search “{row['label']}” and do not find it: {row['suggestion']['keywords']}",
                            "source": closest["source"], "section": "missing"})
    actions.sort(key=lambda a: (-a["customers"], a["verb"], a["title"]))
    floor = max(5, 0.1 * actions[0]["customers"]) if actions else 0
    return [a for a in actions if a["customers"] >= floor][:limit]
