"""Markdown (to paste into an issue or PR), JSON and CSV renderings of the report.

Customer text is made inert by ``carebase.report.safe_text``: literal text in Markdown (no
links, images, mentions, headings, HTML or emphasis), and in CSV every cell quoted and any
cell a spreadsheet would run as a formula given a leading apostrophe."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from carebase.backlog.rows import customers_from
from carebase.backlog.states import STATUSES
from carebase.report import render_findability
from carebase.report.html_charts import pct
from carebase.report.page_needs import fix_pages, says_landed, says_named, says_near_need
from carebase.report.topic_order import repeat_says
from carebase.report.queries import SEARCHES_PER_CLIENT as PER_CLIENT
from carebase.report.queries import VOTES_PER_CLIENT
from carebase.report.spread_text import FEW_FOUND_SAYS, few_found, filled_order, spread_says
from carebase.report.safe_text import FORMULA_START, csv_cell, md_code, md_text  # noqa: F401 (FORMULA_START)


def render_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, default=str)


neutralise = csv_cell


def _csv(headers: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue()


def render_csv(report: dict) -> dict[str, str]:
    """One CSV per table: failing.csv (every scored item), missing.csv, assistants.csv, keywords.csv (one row per item and
    suggested word), stale.csv, backlog.csv (every recommendation with its decision), coverage.csv."""
    fixes = {r["id"] for r in fix_pages(report["failing"])}
    items = [[r["rank"], r["id"], r["kind"], r["title"], r["category"], r["n"], r["unhelpful"], r["helpful"],
              "" if r["rate"] is None else round(r["rate"], 4), round(r["low"], 4), round(r["high"], 4),
              "yes" if r["insufficient"] else "", r["exposure"], r["contacts"], r["impact"],
              "; ".join(f"{reason} ({n})" for reason, n in r["reasons"]),
              " | ".join(c["comment"] for c in r.get("comments", [])), r["source"]["path"], r["source"]["href"],
              *_near_need(r, r["id"] in fixes)]
             for r in report["items"]]
    missing = [[c["rank"], c["label"], c["status"], c["failed"], c["searches"], c["trend"]["previous"], c["zero"],
                c["abandoned"], c["bad"], c["contact"], " | ".join(q["query"] for q in c["queries"]), c["action"],
                (c.get("suggestion") or {}).get("keywords", ""), (c.get("closest") or {}).get("id", ""),
                ((c.get("closest") or {}).get("source") or {}).get("path", (c.get("suggestion") or {}).get("path", "")),
                c.get("counted", c["failed"]), c.get("clients", ""), *_page_voters(c), *_landed(c),
                (c.get("names_page") or {}).get("id", "")]
               for c in report["missing"]["clusters"]]
    asked = [[c["rank"], c["label"], c["status"], c["failed"], c["searches"], c["trend"]["previous"], c["zero"],
              c["contact"], " | ".join(q["query"] for q in c["queries"]), c["action"],
              (c.get("suggestion") or {}).get("keywords", ""), (c.get("closest") or {}).get("id", ""),
              ((c.get("closest") or {}).get("source") or {}).get("path", (c.get("suggestion") or {}).get("path", ""))]
             for c in (report.get("assistants") or {}).get("clusters", [])]
    stale = [["overdue", r["id"], r["title"], r["review_by"], r["days_overdue"], r["owner"], "", r["source"]["path"]]
             for r in report["stale"]["overdue"]]
    stale += [["falling", r["id"], r["title"], "", "", "", f"{pct(r['before']['rate'])} -> {pct(r['after']['rate'])}",
               r["source"]["path"]] for r in report["stale"]["falling"]]
    stale += [["revision", r["id"], r["title"], r["edits"][-1]["first_seen"], "", "", r["last_verdict"], r["source"]["path"]]
              for r in report["stale"]["revisions"]]
    cats = [[c["category"], c["title"], c["articles"], c["faq"], c["videos"], c["votes"], c["unhelpful"],
             "" if c["rate"] is None else round(c["rate"], 4), c["failed_searches"], c["gaps"], c["unvoted"]]
            for c in report["coverage"]["categories"]]
    return {
        "failing.csv": _csv(["rank", "id", "kind", "title", "category", "votes", "unhelpful", "helpful", "unhelpful_rate",
                             "wilson_low", "wilson_high", "insufficient_data", "exposure", "contacts", "impact",
                             "reasons", "recent_comments", "source", "edit_link", "verdict", "near_need",
                             "near_need_votes", "near_need_voted_no", "own_votes", "own_voted_no"], items),
        "missing.csv": _csv(["rank", "cluster", "status", "failed_searches", "searches", "previous_period", "no_result",
                             "not_clicked", "voted_no", "contacted", "sample_queries", "action", "keywords_change",
                             "closest_item", "source", "counted_failed_searches", "clients", "page_votes",
                             "page_voted_no", "landed_on", "landed_votes", "landed_voted_no", "landed_page_at_fault",
                             "names_page"], missing),
        "assistants.csv": _csv(["rank", "cluster", "status", "failed_questions", "questions", "previous_period",
                                "no_answer", "escalated", "sample_questions", "action", "keywords_change",
                                "closest_item", "source"], asked),
        "stale.csv": _csv(["signal", "id", "title", "date", "days_overdue", "owner", "detail", "source"], stale),
        "keywords.csv": _csv(render_findability.CSV_HEADERS, render_findability.csv_rows(report)),
        "backlog.csv": _csv(BACKLOG_CSV, _backlog_rows(report)),
        "coverage.csv": _csv(["category", "title", "articles", "faq", "videos", "votes", "unhelpful", "unhelpful_rate",
                              "failed_searches", "gaps", "items_without_votes"], cats),
    }


def _near_need(r: dict, fix: bool) -> list:
    """failing.csv's verdict and near-need columns (``page_needs.near_needs``): "fix" for a page the
    backlog asks to fix, "near need" for one voted down only by a near need's customers."""
    near = r.get("near_need")
    verdict = "near need" if near and not near["at_fault"] else ("fix" if fix else "")
    if not near:
        return [verdict, "", "", "", "", ""]
    return [verdict, " | ".join(n["title"] for n in near["needs"]), near["votes"], near["voted_no"], near["own"]["n"],
            near["own"]["unhelpful"]]


def _landed(c: dict) -> list:
    """A gap row's voted-down page its customers landed on, with their votes on it (``page_needs.near_needs``)."""
    p = c.get("near_page")
    if not p:
        return ["", "", "", ""]
    if "votes" not in p:
        return [p["id"], "", "", ""]
    return [p["id"], p["votes"], p["voted_no"], "yes" if p["at_fault"] else "no"]


def _page_voters(c: dict) -> list:
    """A poor-answer row's page voters (all who voted on it, apart from the row's searchers), or blanks."""
    p = c.get("poor_answer")
    return [p["page_votes"], p["page_voted_no"]] if p else ["", ""]


def _assistants_md(report: dict, rows: int) -> list[str]:
    a = report.get("assistants") or {}
    t = (a.get("totals") or {}).get("current") or {}
    out = ["", "## Questions assistants could not answer", ""]
    if not t.get("asks"):
        return out + ["No questions were put to assistants in this period."]
    out += [f"{t['asks']:,} questions; {t['answered']:,} answered, {t['no_answer']:,} no answer, "
            f"{t['escalated']:,} escalated, {t['resolved']:,} reported resolved.", ""]
    if not a.get("clusters"):
        return out + ["No group of failed questions to act on."]
    return out + _topic_table("Customers asked", a["clusters"][:rows])


def _backlog_rows(report: dict) -> list[list]:
    return [[r["number"] or "", r["key"], r["action"], r["subject"]["title"], r.get("target_title") or "", r["why"],
             r["owner"], r.get("owner_from", ""), STATUSES.get(r["status"], r["status"]), r.get("note") or "",
             r["customers"], r["category"], (r.get("source") or {}).get("path", ""),
             (r.get("source") or {}).get("href", ""), (r.get("follow_up") or {}).get("summary", ""), customers_from(r)]
            for r in (report.get("backlog") or {}).get("rows", [])]


BACKLOG_CSV = ["number", "key", "action", "subject", "target", "why", "owner", "owner_from", "status", "note",
               "customers", "category", "source", "edit_link", "did_the_fix_work", "customers_counted_from"]


def _backlog_md(report: dict, rows: int) -> list[str]:
    active = [r for r in (report.get("backlog") or {}).get("rows", []) if r["status"] in ("open", "in_progress")]
    out = ["## Backlog", "", "| # | To do | Why | Owner | Status | File |", "|---:|---|---|---|---|---|"]
    for n, r in enumerate(active[:rows], 1):
        target = f" → {_md(r['target_title'])}" if r.get("target_title") else ""
        path = (r.get("source") or {}).get("path", "")
        out.append(f"| {n} | **{_md(r['verb'])}** {_md(r['subject']['title'])}{target} | {_md(r['why'])} | "
                   f"{_md(r['owner'])} | {_md(STATUSES[r['status']])} | {_code(path)} |")
    if not active:
        out.append("| | No recommendation this period. | | | | |")
    elif len(active) > rows:
        out += ["", f"{len(active) - rows} more rows in backlog.csv and report.json."]
    return out + [""]


_md = md_text  # literal text wherever it goes (customer text, titles, owners)
_code = md_code  # a `code span` (paths, keyword lines)


def _link(title: str, source: dict) -> str:
    href = quote(str(source["href"]), safe="/:#?&=%~.-_+,;@!$'*")  # no space, paren or <> ends it early
    return f"[{_md(title)}]({href})"


def _smaller_groups_md(report: dict) -> list[str]:
    """The failed searches in groups too small to list (as the HTML report says): a lead
    reading report.md alone otherwise cannot tell how many failed searches it leaves out."""
    m = report["missing"]
    groups, failed = m.get("other_clusters") or 0, m.get("other_failed") or 0
    if not groups:
        return []
    what = "smaller group" if groups == 1 else "smaller groups"
    verb = "is" if groups == 1 else "are"
    return ["", f"{groups} {what} ({failed} failed searches, fewer than {report['min_searches']} each) {verb} not listed."]


def render_md(report: dict, rows: int = 15) -> str:
    s, d = report["summary"], report["deflection"]["current"]["share"]
    out = [f"# Content-gap report — {report['period']['label']}", "",
           f"Compared with {report['compare']['label']}. {s['votes']:,} votes ({pct(s['unhelpful_rate'])} unhelpful), "
           f"{s['searches']:,} searches ({pct(d['failed'])} failed; {pct(d['clicked'])} ended in a click, "
           f"{pct(d['yes'])} in a Yes, {pct(d['contact'])} in contact support).", ""]
    out += _backlog_md(report, rows * 2)
    out += ["", "## Failing content", "", "| # | Item | Votes | Unhelpful (95% interval) | Impact | Top reason | Source |",
            "|---:|---|---:|---|---:|---|---|"]
    for r in report["failing"][:rows]:
        flag = " *(insufficient data)*" if r["insufficient"] else ""
        if r.get("capped"):
            flag += (f" *({r['capped']} more votes from {r['capped_clients']} "
                     f"client{'s' if r['capped_clients'] != 1 else ''} not counted: "
                     f"{VOTES_PER_CLIENT} per client)*")
        if r.get("near_need"):  # its "No" votes from a near need's customers (page_needs.near_needs)
            flag += f" *({_md(says_near_need(r))})*"
        reason = _md(r["reasons"][0][0]) if r["reasons"] else ""
        out.append(f"| {r['rank']} | {_link(r['title'], r['source'])}{flag} | {r['n']} | {pct(r['rate'])} "
                   f"({pct(r['low'])}–{pct(r['high'])}) | {r['impact']:.0f} | {reason} | {_code(r['source']['path'])} |")
    out += ["", "## Missing content", "", _missing_order(report["missing"]), ""]
    out += _topic_table("Customers searched", report["missing"]["clusters"][:rows])
    noise = report["missing"].get("noise") or {}
    if noise.get("failed"):
        out += ["", f"{noise['failed']} failed searches in {noise['wordings']} unintelligible wordings are counted as noise."]
    out += _smaller_groups_md(report)
    out += _filled_md(report["missing"], rows)
    out += render_findability.markdown(report, rows, _md, _link)
    out += _assistants_md(report, rows)
    st = report["stale"]
    out += ["", "## Stale and risky content", ""]
    out += [f"- Review overdue by {r['days_overdue']} days: {_link(r['title'], r['source'])} (owner {_md(r['owner']) or '—'})"
            for r in st["overdue"][:rows]]
    out += [f"- Helpfulness falling: {_link(r['title'], r['source'])} {pct(r['before']['rate'])} → {pct(r['after']['rate'])} unhelpful"
            for r in st["falling"][:rows]]
    out += [f"- Last edit {r['last_verdict']}: {_link(r['title'], r['source'])} "
            f"{pct(r['edits'][-1]['before']['rate'])} → {pct(r['edits'][-1]['after']['rate'])} unhelpful" for r in st["revisions"][:rows]]
    if not (st["overdue"] or st["falling"] or st["revisions"]):
        out.append("Nothing stale or risky this period.")
    cov = report["coverage"]
    out += ["", "## Coverage", "", "| Category | Items | Votes | Unhelpful | Failed searches |", "|---|---:|---:|---:|---:|"]
    out += [f"| {_md(c['title'])} | {c['articles'] + c['faq'] + c['videos']} | {c['votes']} | {pct(c['rate'])} | {c['failed_searches']} |"
            for c in cov["categories"]]
    if cov["faq_promotions"]:
        out += ["", "FAQ answers to promote to an article:", ""]
        out += [f"- {_link(p['title'], p['source'])}: {_md('; '.join(p['why']))}" for p in cov["faq_promotions"][:rows]]
    if cov["videos_without_transcript"]:
        out += ["", "Videos without a transcript:", ""]
        out += [f"- {_link(v['title'], v['source'])}" for v in cov["videos_without_transcript"]]
    out += _translate_next_md(report, rows)
    return "\n".join(out) + "\n"


def _translate_next_md(report: dict, rows: int) -> list[str]:
    found = report.get("languages")
    if not found or len(found.get("languages", ())) < 2:
        return []
    out = ["", "## Translate next", "", "Missing or stale translations, ranked by the customers of that language who "
           "reached the item this period.", "", "| Item | Language | Translation | Customers | Events |",
           "|---|---|---|---:|---:|"]
    out += [f"| {_link(r['title'], r['source'])} | {r['lang']} | {r['state']} | {r['customers']} | {r['events']} |"
            for r in found["translate_next"][:rows]]
    if not found["translate_next"]:
        out.append("| No customer of another language reached an item whose translation is missing or stale. | | | | |")
    return out


MISSING_ORDER = (f"Ranked by customers, not by searches: each client counts for at most {PER_CLIENT} of a topic's "
                 "failed searches (searches without a client hash, under Do-Not-Track, count as one client), so "
                 "a topic many customers raised comes before one client's repeats. Journeys that went on to reach an "
                 "item count once per client too (gap or findability, rows split by journeys). A row's label, "
                 "typical wordings and shared words weigh each client once, and a row is answered (listed apart) "
                 "only when more clients found it than failed it. A client is one "
                 "address on one UTC day (its hash's salt changes daily), so an address repeating for a week counts "
                 "as up to 7 clients.")


def _missing_order(m: dict) -> str:
    """How the rows are ranked: by client, or (fewer than two client hashes) by failed searches."""
    seen = m.get("by_client") or {}
    if seen.get("counted", True):
        return MISSING_ORDER
    why = ("every failed search came from one client address (a service behind a proxy without "
           "--proxy-headers sends its proxy's address)" if seen.get("clients") == 1 else "no failed search has a client hash")
    return f"Ranked by failed searches: {why}, so they cannot be counted by customer."


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _filled_md(m: dict, rows: int) -> list[str]:
    """The rows the current content answers (listed apart), with who found and who failed each:
    the ones found mostly by few addresses first."""
    filled = m.get("filled") or []
    if not filled:
        return []
    few = sum(1 for c in filled if few_found(c))
    out = ["", f"{len(filled)} query groups are answered by the current content (filled since, or worded well "
           "already)" + (f"; {few} {FEW_FOUND_SAYS}, listed first:" if few else ":"), ""]
    for c in filled_order(filled)[:rows]:
        flag = f"**{FEW_FOUND_SAYS}** — " if few_found(c) else ""
        says = spread_says(c)
        out.append(f"- “{_md(c['label'])}” ×{c['failed']} → {_md(c['closest']['title'])}"
                   + (f" — {flag}{says}" if says else ""))
    return out


def _topic_table(asked: str, clusters: list[dict]) -> list[str]:
    """A Markdown table of topics (failed searches or failed questions): samples, counts, action."""
    out = [f"| # | {asked} | Failed | Trend | Status | What to do |", "|---:|---|---:|---|---|---|"]
    for c in clusters:
        todo = _md(c["action"])
        if c["status"] == "findability":
            todo += f" — {_code(c['closest']['source']['path'])}: {_code(c['suggestion']['keywords'])}"
        elif c["status"] == "gap":
            todo += f" — new file {_code(c['suggestion']['path'])}"
        if c.get("near_page"):
            todo += f" ({says_landed(c, _md)})"
        if c.get("names_page"):
            todo += f" ({says_named(c, _md)})"
        if c.get("split"):  # a row of two needs the split pass cut (report.topic_split)
            todo += f" ({_md(c['split']['says'])})"
        if c.get("repeats"):
            todo += f" (may be the same need as #{c['repeats']['rank']}" + (
                f": {repeat_says(c['repeats']).rstrip(', ')})" if repeat_says(c["repeats"]) else ")")
        if c.get("twin_of"):
            todo += f" (close to #{c['twin_of']['rank']} alone: ranked by its own failed searches)"
        if c.get("with_repeats"):
            w = c["with_repeats"]
            todo += (f" (ranked with the rows that may be the same need, {', '.join(f'#{r}' for r in w['ranks'])}: "
                     f"{w['failed']} more failed searches, ranked as if it had {round(w['ranked_by'])})")
        if c.get("one_client"):
            todo += f" (**one client**: {c['largest_client']} of its failed searches)"
        for n in c.get("lead") or []:
            todo += f" ({_md(n['says'])}: link {n['link']})"
        samples = ", ".join(f"“{_md(q['query'])}”" for q in c["queries"][:3])
        failed = f"{c['failed']} ({_plural(c['clients'], 'client')})" if "clients" in c else f"{c['failed']}"
        if c.get("counted", c["failed"]) != c["failed"]:  # what the row is ranked by, first (RP4)
            failed = f"{c['counted']} counted, of {failed}"
        out.append(f"| {c['rank']} | {samples} | {failed} | {c['trend']['label']} | {c['status']} | {todo} |")
    return out
