"""The per-item keyword suggestions (findability.py) in each output: HTML, Markdown, CSV.

JSON carries them as ``missing.keywords``; the other renderers call these helpers."""

from __future__ import annotations

from carebase.report.html_charts import esc, pct
from carebase.report.html_parts import item_cell, num, table
from carebase.report.safe_text import md_code

HTML_ROWS = 30
TITLE = "Words to add to keywords"
LEDE = ("Customers who found an item only further down the results, or reached it after another search or by "
        "browsing, had searched for these words; the item's title, summary, keywords and tags lack them. Each word "
        "is counted once per journey and once per client (one address on one UTC day), and listed only when at least "
        "3 clients' journeys support it and most of the failed journeys with it reached this item.")


def _evidence(w: dict) -> str:
    parts = []
    if w["found_low"]:
        parts.append(f"{w['found_low']} found it low in the results")
    if w["reached_later"]:
        parts.append(f"{w['reached_later']} reached it another way")
    parts.append(f"{pct(w['share'])} of the word's failed journeys")
    if w["in_body"]:
        parts.append("its text has the word")
    return "; ".join(parts)


REACH_TITLE = "Customers reach these items with"
REACH_LEDE = ("Words and short phrases, as customers typed them, of the searches that led customers to each item "
              "(a result click nobody regretted, a \u201cYes\u201d after searching, or a later search that reached it), "
              "each from at least 3 journeys of 2 different clients. \u201cLacks\u201d: those specific to the item (most journeys with them "
              "reached it) that its title, summary, keywords and tags do not have: candidates for keywords "
              "(carebase suggestions).")


def _phrases(r: dict) -> str:
    """Each learned phrase as customers typed it (``learned.phrases.surface`` of its most
    frequent wording: "turn on two-step", not its key's words "turn two"), each once; evidence
    kept before it had typed forms shows the phrases as before."""
    shown: dict[str, str] = {}
    for p in r["reach_with"]:
        text = p.get("typed") or p["phrase"]
        shown.setdefault(" ".join(text.lower().split()), f"{text} ×{p['journeys']}")
    return ", ".join(shown.values())


def reach_html(report: dict) -> str:
    rows = [f'<tr>{item_cell(r)}{num(r["journeys"])}<td>{esc(_phrases(r))}</td>'
            f'<td>{esc(", ".join(r["lacks"]))}</td></tr>' for r in report["missing"].get("learned", [])[:HTML_ROWS]]
    return (f'<h3 id="reach">{esc(REACH_TITLE)}</h3><p class="sub">{esc(REACH_LEDE)}</p>'
            + table(["Item", "Journeys", "Customers reach it with", "Lacks"], rows, numeric={1}, nosort={2, 3},
                    empty="Not enough journeys yet to learn how customers word things."))


def reach_markdown(report: dict, rows: int, md, link) -> list[str]:
    out = ["", f"### {REACH_TITLE}", "", REACH_LEDE, "", "| Item | Journeys | Customers reach it with | Lacks |",
           "|---|---:|---|---|"]
    for r in report["missing"].get("learned", [])[:rows]:
        out.append(f"| {link(r['title'], r['source'])} | {r['journeys']} | {md(_phrases(r))} | "
                   f"{md(', '.join(r['lacks']))} |")
    if not report["missing"].get("learned"):
        out.append("| Not enough journeys yet to learn how customers word things. | | | |")
    return out


def html(report: dict) -> str:
    rows_in = report["missing"].get("keywords", [])
    rows = []
    for r in rows_in[:HTML_ROWS]:
        words = "".join(
            f'<li><strong>{esc(w["word"])}</strong> ×{w["journeys"]} <span class="sub">{esc(_evidence(w))} — '
            + ", ".join(f"“{esc(q)}”" for q in w["queries"]) + "</span></li>" for w in r["words"])
        synonyms = "".join(f'<div class="sub">or in synonyms.yml: <code>- [{esc(", ".join(g))}]</code></div>'
                           for g in r["synonyms"])
        rows.append(f'<tr>{num(r["rank"])}{item_cell(r)}{num(r["journeys"])}<td><ul class=plain>{words}</ul></td>'
                    f'<td><pre>{esc(r["source"]["path"])}:\n{esc(r["keywords"])}</pre>{synonyms}</td></tr>')
    more = f'<p class="sub">{len(rows_in) - HTML_ROWS} more items in report.json and keywords.csv.</p>' \
        if len(rows_in) > HTML_ROWS else ""
    return (f'<h3 id="keywords">{esc(TITLE)}</h3><p class="sub">{esc(LEDE)}</p>'
            + table(["#", "Item", "Journeys", "Customers' words (evidence)", "Change"], rows, numeric={0, 2},
                    nosort={3, 4}, empty="No item was found late often enough under other words.") + more
            + reach_html(report))


def markdown(report: dict, rows: int, md, link) -> list[str]:
    out = ["", f"### {TITLE}", "", LEDE, "", "| # | Item | Journeys | Customers' words | Change |", "|---:|---|---:|---|---|"]
    for r in report["missing"].get("keywords", [])[:rows]:
        words = ", ".join(f"“{md(w['word'])}” ×{w['journeys']}" for w in r["words"])
        change = f"{md_code(r['source']['path'])}: {md_code(r['keywords'])}"
        if r["synonyms"]:
            change += " or synonyms " + ", ".join(md_code('[' + ', '.join(g) + ']') for g in r["synonyms"])
        out.append(f"| {r['rank']} | {link(r['title'], r['source'])} | {r['journeys']} | {words} | {change} |")
    if not report["missing"].get("keywords"):
        out.append("| | No item was found late often enough under other words. | | | |")
    return out + reach_markdown(report, rows, md, link)


CSV_HEADERS = ["rank", "id", "title", "word", "journeys", "found_low", "reached_later", "share_of_word",
               "in_body", "sample_queries", "synonyms", "keywords_change", "source"]


def csv_rows(report: dict) -> list[list]:
    return [[r["rank"], r["id"], r["title"], w["word"], w["journeys"], w["found_low"], w["reached_later"], w["share"],
             "yes" if w["in_body"] else "", " | ".join(w["queries"]), ", ".join(w["synonyms"]), r["keywords"],
             r["source"]["path"]]
            for r in report["missing"].get("keywords", []) for w in r["words"]]
