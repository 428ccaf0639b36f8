"""The HTML report's "Questions assistants could not answer" section (issue 17)."""

from __future__ import annotations

from carebase.report.html_charts import esc, pct
from carebase.report.html_parts import table
from carebase.report.html_backlog import failed_header, ranked_count
from carebase.report.html_sections import _cluster_row, _section

SHOWN = 30


def section(report: dict) -> str:
    a = report.get("assistants") or {}
    totals = (a.get("totals") or {}).get("current") or {}
    asks = totals.get("asks", 0)
    clusters = (a.get("clusters") or [])[:SHOWN]
    top = max((ranked_count(c) for c in clusters), default=1)
    rows = [_cluster_row(c, top, f'{c["zero"]} no answer · {c["contact"]} escalated', "failed questions") for c in clusters]
    sources = ", ".join(f"{n:,} {esc(src)}" for src, n in sorted((totals.get("by_source") or {}).items()))
    share = totals.get("share") or {}
    lede = ("Questions put to the answer API, the MCP server and the Ask box that got <strong>no answer</strong>, or "
            "whose conversation the bot reported <strong>escalated</strong> (or that went on to contact support), "
            "grouped and decided exactly like failed searches (see Missing content). ")
    if asks:
        lede += (f"This period: {asks:,} questions ({sources}); {pct(share.get('answered'))} answered, "
                 f"{pct(share.get('no_answer'))} no answer, {totals.get('escalated', 0):,} escalated, "
                 f"{totals.get('resolved', 0):,} reported resolved.")
    extra = ""
    for key, what in (("poor_answers", "find an item that does not help"),
                      ("filled", "are answered by the current content (filled since, or worded well already)")):
        if a.get(key):
            extra += (f"<details><summary>{len(a[key])} question groups {what}</summary><ul class=plain>" + "".join(
                f"<li>“{esc(c['label'])}” ×{c['failed']} → {esc(c['closest']['title'])}</li>" for c in a[key][:SHOWN])
                + "</ul></details>")
    if len(a.get("clusters") or []) > SHOWN:
        extra += f'<p class="sub">{len(a["clusters"]) - SHOWN} more groups in report.json and assistants.csv.</p>'
    noise = a.get("noise") or {}
    if noise.get("failed"):
        extra += (f'<p class="sub">{noise["failed"]} failed questions in {noise["wordings"]} wordings are '
                  'unintelligible: counted as noise, not listed.</p>')
    if a.get("other_clusters"):
        extra += (f'<p class="sub">{a["other_clusters"]} smaller groups ({a["other_failed"]} failed questions, fewer '
                  f'than {report["min_searches"]} each) are not listed.</p>')
    return _section("assistants", "Questions assistants could not answer", lede, table(
        ["#", "Customers asked", failed_header(a, "Failed questions"), "Trend", "What to do"], rows, numeric={0, 2, 3}, nosort={4},
        empty="No question went unanswered or escalated in this period.", klass="gaps") + extra)
