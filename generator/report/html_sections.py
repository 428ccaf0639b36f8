"""The sections of the HTML report: overview, failing, missing, stale, coverage, deflection."""

from __future__ import annotations

from carebase.report import render_findability
from carebase.backlog.issue import issue_url
from carebase.report import html_backlog
from carebase.report.html_charts import (ACCENT, BAD, GOOD, PURPLE, WARN, daily_chart, dumbbell, esc, hbar,
                                         interval_bar, pct, stacked)
from carebase.report.html_parts import card, comments, delta, item_cell, num, source_link, table
from carebase.report.page_needs import says_landed, says_named, says_near_need
from carebase.report.queries import SEARCHES_PER_CLIENT, VOTES_PER_CLIENT
from carebase.report.topic_order import repeat_says
from carebase.report.spread_text import FEW_FOUND_SAYS, few_found, filled_order, spread_says

NAV = [("overview", "Overview"), ("backlog", "Backlog"), ("glance", "At a glance"), ("failing", "Failing content"),
       ("missing", "Missing content"), ("assistants", "Assistants"),
       ("stale", "Stale & risky"), ("coverage", "Coverage"), ("deflection", "Deflection")]
ROWS = 50


def _section(key: str, title: str, lede: str, inner: str) -> str:
    return f'<section id="{key}"><h2>{esc(title)}</h2><p class="lede">{lede}</p>{inner}</section>'


def overview(report: dict) -> str:
    s, d = report["summary"], report["deflection"]
    cur, cmp_ = d["current"]["share"], d["compare"]["share"]
    cards = "".join([
        card("searches", f"{s['searches']:,}", delta(s["searches"], s["searches_compare"], good_when_up=True)),
        card("searches that failed", pct(cur["failed"]), delta(cur["failed"], cmp_["failed"], as_points=True)),
        card("votes", f"{s['votes']:,}", delta(s["votes"], s["votes_compare"], good_when_up=True)),
        card("voted unhelpful", pct(s["unhelpful_rate"]), delta(s["unhelpful_rate"], s["unhelpful_rate_compare"], as_points=True)),
        card("failing items", str(s["failing"]),
             f'<div class="delta">{s["near_need_pages"]} voted down by a near need</div>' if s.get("near_need_pages") else ""),
        card("content gaps", str(s["gaps"]), f'<div class="delta">+ {s["findability"]} findability</div>'),
        card("overdue reviews", str(s["overdue"])),
    ])
    items = "".join(
        f'<li><strong>{esc(a["verb"])}</strong> <a href="#{html_backlog.anchor(a["key"])}">{esc(a["subject"]["title"])}</a>'
        f' — <span class="sub">{esc(html_backlog.says(a))} · owner {esc(a["owner"])}</span></li>'
        for a in start_here(report))
    legend = (f'<div class="legend"><span><i style="background:{ACCENT}"></i>searches per day</span>'
              f'<span><i style="background:{BAD}"></i>searches with no result</span>'
              f'<span><i style="background:{PURPLE}"></i>unhelpful votes</span></div>')
    start = (f'<h3>Start here</h3><ol class="actions">{items}</ol>' if items
             else '<p class="empty">No failing item or content gap stands out this period.</p>')
    return _section("overview", "Overview", "The period at a glance and the changes that would help most customers, "
                    "by the number of customers each affects.",
                    f'<div class="cards">{cards}</div>{start}<h3>Day by day</h3>{legend}{daily_chart(report["daily"])}')


def start_here(report: dict, limit: int = 10) -> list[dict]:
    """The first open rows of the backlog that customers' evidence backs."""
    rows = (report.get("backlog") or {}).get("rows", [])
    return [r for r in rows if r.get("current", True) and r["status"] in ("open", "in_progress") and r["tier"] == 0
            and r["customers"] > 0][:limit]


def static_links(report: dict) -> html_backlog.Links:
    edit_url = report.get("edit_url")
    return html_backlog.Links(issue=lambda row: issue_url(edit_url, row))


def backlog(report: dict, rows_shown: int = 100) -> str:
    b = report.get("backlog") or {"rows": [], "contradictions": []}
    links = static_links(report)
    active = [r for r in b["rows"] if r["status"] in ("open", "in_progress")]
    decided = [r for r in b["rows"] if r["status"] not in ("open", "in_progress")]
    inner = html_backlog.backlog_table(active[:rows_shown], links, empty="No recommendation this period.")
    if len(active) > rows_shown:
        inner += f'<p class="sub">{len(active) - rows_shown} more rows in report.json and backlog.csv.</p>'
    if decided:
        inner += (f"<details><summary>{len(decided)} rows decided (done, won't do, wrong)</summary>"
                  + html_backlog.backlog_table(decided, links) + "</details>")
    lede = ("Every recommendation of this report, one row each, ranked by the customers it affects: what to do, why "
            "(one sentence with its numbers), who owns it (the item's or category's <code>owner</code>), the evidence and "
            "the file to edit. Upkeep (reviews past their date, videos without a transcript) comes last. Statuses, owners "
            "and notes come from the service's database (set them in the live report at <code>/report</code>); a row "
            "keeps its key across runs.")
    if b.get("contradictions"):
        inner += f'<p class="sub">{len(b["contradictions"])} contradictions found: please report this as a bug.</p>'
    return _section("backlog", "Backlog", lede, inner)


#: At a glance's introduction, in the static report and the live one (which adds how to filter by owner):
#: written once, so a change to the section cannot leave one of them stale (reader R9)
GLANCE_LEDE = ("What customers searched for and found most, what they could not find, the pages they reach and leave "
               "for support, deflection week by week, and each owner's queue")


def glance(report: dict) -> str:
    return _section("glance", "At a glance", GLANCE_LEDE + ".", html_backlog.glance(report, static_links(report)))


def _show_all(shown: int, total: int, more: str, section: str) -> str:
    """The live page's "show all" link (a plain link: no JavaScript needed) under a table it cut short."""
    if not more or total <= shown:
        return ""
    return f'<p class="sub"><a href="{esc(more)}#{section}">Show all {total:,} rows</a> ({total - shown:,} more)</p>'


def failing(report: dict, limit: int = ROWS, more: str = "") -> str:
    """``limit``/``more``: the live page shows the first ``limit`` rows and links to ``more`` for the rest."""
    base = report["summary"]["baseline"]
    rows = []
    for r in report["failing"][:min(limit, ROWS)]:
        thin = ' <span class="badge thin">insufficient data</span>' if r["insufficient"] else ""
        if r.get("near_need"):  # its "No" votes from a near need's customers (report.page_needs.near_needs)
            if not r["near_need"]["at_fault"]:
                thin += ' <span class="badge near">near need</span>'
            thin += f'<div class="sub near-need">{esc(says_near_need(r))}</div>'
        if r.get("capped"):
            thin += (f'<div class="sub">{r["capped"]:,} more votes from {r["capped_clients"]:,} '
                     f'client{"s" if r["capped_clients"] != 1 else ""} not counted ({VOTES_PER_CLIENT} per client)</div>')
        reasons = "".join(f"<li>{esc(reason)} <span class=sub>×{n}</span></li>" for reason, n in r["reasons"][:3])
        queries = ", ".join(f"“{esc(q['query'])}” ×{q['count']}" for q in r["queries"][:4])
        evidence = (f'<ul class="plain">{reasons}</ul>' if reasons else "") + comments(r)
        if queries:
            evidence += f'<div class="sub">searched as: {queries}</div>'
        prev = r["compare"]
        prev_text = pct(prev["rate"]) + (f" of {prev['n']}" if prev["n"] else "")
        rows.append(
            f'<tr>{num(r["rank"])}{item_cell(r, extra=thin)}'
            f'<td data-sort="{r["low"]:.4f}">{interval_bar(r["rate"], r["low"], r["high"], base)}'
            f'<div class="sub">{pct(r["rate"])} of {r["n"]} · ≥ {pct(r["low"])}</div></td>'
            f'{num(prev["rate"] if prev["rate"] is not None else -1, prev_text)}'
            f'{num(r["exposure"], format(r["exposure"], ","))}'
            f'{num(r["contacts"])}{num(r["impact"], format(r["impact"], ".0f"))}'
            f'<td>{evidence}</td></tr>')
    lede = (f"Articles, FAQ answers and videos customers say did not help, ranked by <strong>impact</strong>: "
            f"the Wilson 95&nbsp;% lower bound of the unhelpful rate, minus a typical page ({pct(base)}, dashed line), "
            f"times the customers who landed there (result clicks, or votes if more). Rows under "
            f"{report['min_votes']} votes are flagged and listed last.")
    show_all, more = more, len(report["failing"]) - ROWS
    tail = f'<p class="sub">{more} more rows in report.json and failing.csv.</p>' if more > 0 else ""
    tail = _show_all(len(rows), min(len(report["failing"]), ROWS), show_all, "failing") + tail
    return _section("failing", "Failing content", lede, table(
        ["#", "Item", "Unhelpful (95% interval)", "Previous", "Exposure", "Contacts", "Impact", "Evidence"],
        rows, numeric={0, 3, 4, 5, 6}, nosort={7}, empty="No item is voted down more than a typical page.",
        blocks={1}) + tail)


def _cluster_row(c: dict, top: int, kinds: str | None = None, noun: str = "failed searches") -> str:
    badge = f'<span class="badge {esc(c["status"].split()[0])}">{esc(c["status"])}</span>'
    samples = ", ".join(f"“{esc(q['query'])}”&nbsp;×{q['count']}" for q in c["queries"][:4])
    why = "; ".join(esc(w) for w in c["why_grouped"][:3])
    suggestion = c.get("suggestion") or {}
    action = f"<strong>{esc(c['action'])}</strong>"
    if c["status"] == "findability":
        action += f'<pre>{esc(c["closest"]["source"]["path"])}:\n{esc(suggestion["keywords"])}</pre>'
        if suggestion.get("synonyms"):
            action += f'<div class="sub">or in synonyms.yml: <code>- [{esc(", ".join(suggestion["synonyms"]))}]</code></div>'
    elif c["status"] == "gap":
        path = f"<code>{esc(suggestion['path'])}</code>"
        action += f'<div class="sub">new file {source_link(suggestion["href"], path)}</div>'
    closest = c.get("closest")
    near = ""
    if closest:
        near = (f'<div class="sub">closest: {source_link(closest["source"]["href"], esc(closest["title"]))}'
                f'{" — " + esc(closest["why"]) if closest.get("why") else ""}</div>')
    if c.get("mentioned"):  # names customers added beside the need (missing.mentioned_names)
        near += f'<div class="sub">mentioned: {esc(", ".join(c["mentioned"]))}</div>'
    if c.get("near_page"):  # searches that ended on a voted-down page only near their need (report.page_needs)
        near += f'<div class="sub near-page">{esc(says_landed(c))}</div>'
    if c.get("names_page"):  # typed in a page's own words, the page shown to them (report.page_needs.names_page)
        near += f'<div class="sub names-page">{esc(says_named(c))}</div>'
    if c.get("repeats"):
        near += (f'<div class="sub">may be the same need as #{c["repeats"]["rank"]} “{esc(c["repeats"]["label"])}”: '
                 f'{esc(repeat_says(c["repeats"]))}listed after the rows that repeat nothing</div>')
    if c.get("twin_of"):
        t = c["twin_of"]
        near += (f'<div class="sub">close to #{t["rank"]} “{esc(t["label"])}” alone ({t["similarity"]:.2f} similar; '
                 f'{t["next"]:.2f} to any other row above): a near-duplicate need, or the same need worded '
                 'another way; ranked by its own failed searches</div>')
    if c.get("with_repeats"):
        w = c["with_repeats"]
        near += (f'<div class="sub">ranked with the rows that may be the same need, {esc(", ".join(f"#{r}" for r in w["ranks"]))} '
                 f'({w["failed"]:,} more failed searches): ranked as if it had {round(w["ranked_by"]):,}</div>')
    for n in c.get("lead") or []:
        near += f'<div class="sub">{esc(n["says"])} (link {n["link"]})</div>'
    if c.get("one_client"):
        near += (f'<div class="sub"><span class="badge thin">one client</span> {c["largest_client"]:,} of these '
                 f'failed searches came from one client: counted as {SEARCHES_PER_CLIENT}</div>')
    kinds = kinds or f'{c["zero"]} no result · {c["abandoned"]} not clicked · {c["bad"]} voted No · {c["contact"]} contacted support'
    return (f'<tr>{num(c["rank"])}<td><strong>{esc(c.get("title") or c["label"])}</strong> {badge}<div class="sub">{samples}</div>'
            f'<div class="sub">grouped: {why or "same words"}</div></td>'
            f'{html_backlog.failed_cell(c, top, kinds, noun)}'
            f'<td data-sort="{c["trend"]["change"] if c["trend"]["change"] is not None else 99}">{esc(c["trend"]["label"])}'
            f'<div class="sub">was {c["trend"]["previous"]}</div></td><td>{action}{near}</td></tr>')


def grouped_how(grouped: dict) -> str:
    """How the rows were grouped, in words a lead reads (the model's id stays in report.json's
    ``grouped_with.vectors``)."""
    if grouped.get("kind") == "embedding":
        return "by meaning (a small language model, run on this machine, compares what the searches say)"
    return "by the words they share"


def replayed_how(name: str) -> str:
    """What the failed searches were searched again with, in words (report.json keeps ``replayed_with``)."""
    return {"carebase search (Whoosh)": "the help centre's own search",
            "built-in term matcher": "the words of every page's title, summary and keywords"}.get(name, esc(name))


def _few_badge(c: dict) -> str:
    return f'<span class="badge thin">{FEW_FOUND_SAYS}</span> ' if few_found(c) else ""


def _order_note(m: dict) -> str:
    seen = m.get("by_client") or {}
    if seen.get("counted", True):
        return (f" Ranked by customers, not by searches: each client counts for at most {SEARCHES_PER_CLIENT} of a "
                "topic's failed searches (searches without a client hash count as one client), and the journeys "
                "that went on to reach an item once per client. A row's label, typical wordings and shared words "
                "weigh each client once, and a row is answered (listed apart) only when more clients found it than "
                "failed it. A client is one address on one UTC day.")
    return (" Ranked by failed searches: they come from fewer than two client addresses (a service behind a proxy "
            "without --proxy-headers sends its proxy's), so they cannot be counted by customer.")


def missing(report: dict, limit: int = 30, more: str = "") -> str:
    m = report["missing"]
    clusters = m["clusters"][:min(limit, 30)]
    top = max((html_backlog.ranked_count(c) for c in m["clusters"][:30]), default=1)  # the same scale cut short or not
    rows = [_cluster_row(c, top) for c in clusters]
    grouped = m.get("grouped_with") or {}
    lede = ("Searches that failed — no result, results never clicked, or a click followed by a “No” vote or a "
            f"contact — grouped into topics {grouped_how(grouped)} and replayed against the current content "
            f"({replayed_how(m['replayed_with'])}). <span class='badge gap'>gap</span> no item answers it: write an article. "
            "<span class='badge findability'>findability</span> an item answers it (customers reached it, or its "
            "title, summary and keywords say the same) in other words: add the customers' words to it."
            + (" <span class='badge poor'>poor answer</span> customers searched in the words a page says it covers, "
               "and it did not help them: fix the page. Such a row counts its need's failed searches; the page's "
               "votes (from everyone who voted on it, some of these customers among them) are counted apart, in its "
               "action." if any(c["status"] == "poor answer" for c in clusters) else "")
            + _order_note(m))
    extra = _show_all(len(rows), min(len(m["clusters"]), 30), more, "missing")
    if m["poor_answers"]:
        extra += (f"<details><summary>{len(m['poor_answers'])} query groups find an item that does not help "
                  "(see failing content)</summary><ul class=plain>" + "".join(
                      f"<li>“{esc(c['label'])}” ×{c['failed']} → {esc(c['closest']['title'])}</li>" for c in m["poor_answers"][:30])
                  + "</ul></details>")
    if m["filled"]:
        few = sum(1 for c in m["filled"] if few_found(c))
        extra += (f"<details{' open' if few else ''}><summary>{len(m['filled'])} query groups are answered by the "
                  "current content (filled since, or worded well already)"
                  + (f"; {few} found mostly by few addresses, listed first" if few else "")
                  + "</summary><ul class=plain>" + "".join(
                      f"<li>{_few_badge(c)}“{esc(c['label'])}” ×{c['failed']} → {esc(c['closest']['title'])}"
                      + (f'<div class="sub">{esc(spread_says(c))}</div>' if c.get("spread") else "") + "</li>"
                      for c in filled_order(m["filled"])[:30])
                  + "</ul></details>")
    if len(m["clusters"]) > 30:
        extra += f'<p class="sub">{len(m["clusters"]) - 30} more groups in report.json and missing.csv.</p>'
    noise = m.get("noise") or {}
    if noise.get("failed"):
        extra += (f'<p class="sub">{noise["failed"]} failed searches in {noise["wordings"]} wordings are unintelligible '
                  '(no word of the language, the content or other customers): counted as noise, not listed.</p>')
    if m["other_clusters"]:
        extra += (f'<p class="sub">{m["other_clusters"]} smaller groups ({m["other_failed"]} failed searches, fewer than '
                  f'{report["min_searches"]} each) are not listed.</p>')
    return _section("missing", "Missing content", lede, table(
        ["#", "Customers searched", html_backlog.failed_header(m), "Trend", "What to do"], rows, numeric={0, 2, 3}, nosort={4},
        empty="No failed searches in this period.", klass="gaps") + extra + render_findability.html(report))


def stale(report: dict, limit: int = ROWS, more: str = "") -> str:
    st = report["stale"]
    cut = min(limit, ROWS)
    overdue = [f'<tr>{item_cell(r)}<td data-sort="{esc(r["review_by"])}">{esc(r["review_by"])}</td>{num(r["days_overdue"])}'
               f'<td>{esc(r["owner"])}</td>{num(r["unhelpful"]["rate"] if r["unhelpful"]["rate"] is not None else -1, pct(r["unhelpful"]["rate"]))}</tr>'
               for r in st["overdue"][:cut]]
    falling = [f'<tr>{item_cell(r)}<td>{dumbbell(r["before"]["rate"], r["after"]["rate"])}</td>'
               f'{num(r["before"]["rate"], pct(r["before"]["rate"]) + " of " + str(r["before"]["n"]))}'
               f'{num(r["after"]["rate"], pct(r["after"]["rate"]) + " of " + str(r["after"]["n"]))}</tr>' for r in st["falling"][:cut]]
    edits = []
    for r in st["revisions"][:cut]:
        e = r["edits"][-1]
        cls = {"fixed it": "fixed", "made it worse": "worse"}.get(e["verdict"], "thin")
        edits.append(f'<tr>{item_cell(r)}<td><span class="badge {cls}">{esc(e["verdict"])}</span>'
                     f'<div class="sub">revision {esc(e["from"])} → {esc(e["to"])}, from {esc(e["first_seen"])}</div></td>'
                     f'<td>{dumbbell(e["before"]["rate"], e["after"]["rate"])}</td>'
                     f'{num(e["before"]["rate"], pct(e["before"]["rate"]) + " of " + str(e["before"]["n"]))}'
                     f'{num(e["after"]["rate"], pct(e["after"]["rate"]) + " of " + str(e["after"]["n"]))}</tr>')
    inner = ("<h3>Past their review date</h3>" + table(["Item", "Review by", "Days overdue", "Owner", "Unhelpful"], overdue,
                                                         numeric={2, 4}, empty="No item is past its review_by date.",
                                                         blocks={0})
             + _show_all(len(overdue), min(len(st["overdue"]), ROWS), more, "stale")
             + "<h3>Helpfulness falling</h3>" + table(["Item", "Unhelpful: before → now", "Previous period", "This period"],
                                                       falling, numeric={2, 3}, nosort={1},
                                                       empty="No item got clearly worse than in the previous period.",
                                                       blocks={0})
             + _show_all(len(falling), min(len(st["falling"]), ROWS), more, "stale")
             + "<h3>Did the fix work?</h3>" + table(["Item", "Last edit", "Unhelpful: before → after", "Before", "After"],
                                                    edits, numeric={3, 4}, nosort={2},
                                                    empty="No item has votes on more than one revision.", blocks={0})
             + _show_all(len(edits), min(len(st["revisions"]), ROWS), more, "stale"))
    return _section("stale", "Stale and risky content", "Items past <code>review_by</code>, items customers rate "
                    "clearly worse than in the previous period (two-proportion test and non-overlapping 95&nbsp;% "
                    "intervals), and the helpfulness "
                    "before and after each edit (votes carry the revision they saw).", inner)


def coverage(report: dict, limit: int = ROWS, more: str = "") -> str:
    cov = report["coverage"]
    cats = cov["categories"]
    top = max((c["failed_searches"] for c in cats), default=1) or 1
    rows = [f'<tr><td><strong>{esc(c["title"])}</strong><div class="sub">{esc(c["category"])}</div></td>'
            f'{num(c["articles"])}{num(c["faq"])}{num(c["videos"])}{num(c["votes"])}'
            f'<td data-sort="{c["rate"] if c["rate"] is not None else -1}">{hbar(c["rate"] or 0, 1, colour=BAD, label="unhelpful " + pct(c["rate"]))} {pct(c["rate"])}</td>'
            f'<td data-sort="{c["failed_searches"]}">{hbar(c["failed_searches"], top, colour=WARN, label=str(c["failed_searches"]))} {c["failed_searches"]:,}</td>'
            f'{num(c["gaps"])}{num(c["unvoted"])}</tr>' for c in cats]
    promos = [f'<tr>{item_cell({**p, "kind": "faq"})}{num(p["n"])}{num(p["clicks"])}<td>{"; ".join(esc(w) for w in p["why"])}</td></tr>'
              for p in cov["faq_promotions"][:min(limit, ROWS)]]
    videos = [f'<tr>{item_cell({**v, "kind": "video"})}{num(v["captions"])}</tr>'
              for v in cov["videos_without_transcript"][:limit if more else None]]
    inner = (table(["Category", "Articles", "FAQ", "Videos", "Votes", "Unhelpful", "Failed searches", "Gaps", "Items without votes"],
                   rows, numeric={1, 2, 3, 4, 7, 8}, blocks={0})
             + "<h3>FAQ answers to promote to a full article</h3>"
             + table(["Question", "Votes", "Result clicks", "Why"], promos, numeric={1, 2}, nosort={3},
                     empty="No FAQ answer is voted down or searched unusually often.", blocks={0})
             + _show_all(len(promos), min(len(cov["faq_promotions"]), ROWS), more, "coverage")
             + "<h3>Videos without a transcript</h3>"
             + table(["Video", "Caption files"], videos, numeric={1}, empty="Every video has a transcript.")
             + _show_all(len(videos), len(cov["videos_without_transcript"]), more, "coverage"))
    return _section("coverage", "Coverage", "Per category: items, votes, helpfulness and the failed searches nearest to "
                    "it; FAQ answers customers need more from; videos that search cannot read.", inner)


def deflection(report: dict) -> str:
    d = report["deflection"]
    bars = []
    for key, label in (("current", report["period"]["label"]), ("compare", report["compare"]["label"])):
        s = d[key]["share"]
        if not d[key]["searches"]:
            bars.append(f'<p class="sub">{esc(label)}: no searches.</p>')
            continue
        clicked_only = (s["clicked"] or 0) - (s["yes"] or 0) - (s["bad"] or 0)
        parts = [("clicked, then voted Yes", s["yes"], GOOD), ("clicked", max(0.0, clicked_only), "#60a5fa"),
                 ("clicked, then voted No", s["bad"], WARN), ("not clicked", s["abandoned"], "#94a3b8"),
                 ("no result", s["zero"], BAD)]
        bars.append(f'<h3>{esc(label)} · {d[key]["searches"]:,} searches · {pct(s["contact"])} went on to contact support</h3>'
                    + stacked(parts, label=f"outcomes of searches, {label}"))
    legend = "".join(f'<span><i style="background:{c}"></i>{esc(n)}</span>' for n, c in (
        ("clicked, then voted Yes", GOOD), ("clicked", "#60a5fa"), ("clicked, then voted No", WARN),
        ("not clicked", "#94a3b8"), ("no result", BAD)))
    cur = d["current"]["share"]
    lede = (f"Of this period's searches, {pct(cur['clicked'])} ended in a click, {pct(cur['yes'])} in a “Yes”, and "
            f"{pct(cur['contact'])} in “contact support”. Outcomes follow a search within the same visit (journey); "
            f"searches sent without one (Do-Not-Track) count only when they had no result.")
    bots = d["current"].get("assistants") or {}
    if bots.get("asks"):
        lede += (f" Assistants: {bots['asks']:,} questions, {bots['answered']:,} answered from the help centre; "
                 f"conversations reported resolved: {bots['resolved']:,}, escalated: {bots['escalated']:,} "
                 "(see Assistants).")
    return _section("deflection", "Deflection", lede, f'<div class="legend">{legend}</div>' + "".join(bars)
                    + '<p class="sub">Rates are shares of all searches in the period.</p>')
