"""The report's "Translate next" section (HTML): the items whose translation is missing or
stale, ranked by the customers of that language who reached them (``report.languages``)."""

from __future__ import annotations

from carebase.report.html_charts import esc
from carebase.report.html_parts import item_cell, num, table

ROWS = 50


def section(report: dict) -> str:
    found = report.get("languages")
    if not found or len(found.get("languages", ())) < 2:
        return ""
    from carebase.content.languages import english_name

    counts = "; ".join(f"{english_name(lang)} ({esc(lang)}): {c['current']} current, {c['stale']} stale, "
                       f"{c['missing']} missing" for lang, c in found["states"].items())
    rows = [f'<tr>{item_cell(r)}<td>{esc(r["lang"])}</td><td><span class="badge">{esc(r["state"])}</span>'
            f'<div class="sub">{esc(r["why"])}</div></td>{num(r["customers"])}{num(r["events"])}</tr>'
            for r in found["translate_next"][:ROWS]]
    inner = (f'<p class="sub">{counts}.</p>'
             + table(["Item", "Language", "Translation", "Customers", "Events"], rows, numeric={3, 4}, nosort={2},
                     empty="No customer of another language reached an item whose translation is missing or stale."))
    lede = ("Items whose translation is missing or stale, ranked by the customers of that language (seen on its "
            "pages this period) who reached the item — a vote, click or contact naming it, on a page of any "
            "language. Each language's own report: <code>carebase report --lang CODE</code>.")
    return f'<section id="translations"><h2>Translate next</h2><p class="lede">{lede}</p>{inner}</section>'
