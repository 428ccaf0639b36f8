"""The backlog and "at a glance" in HTML: the same markup in the static report and in the
service's live report (``live`` adds the decision form to each row and filter links).

Every string from content or customers goes through ``esc``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from carebase.backlog.rows import customers_from
from carebase.backlog.states import STATUSES
from carebase.report.html_charts import BAD, GOOD, esc, hbar, pct, weekly_share_chart
from carebase.report.html_parts import comments, num, source_link, table
from carebase.report.queries import SEARCHES_PER_CLIENT
from carebase.report.topic_order import repeat_says
from carebase.report.top import WORDINGS

VERDICT_CLASS = {"fixed it": "fixed", "made it worse": "worse"}
OWNER_FROM = {"item": "the item's owner", "category": "the category's owner", "assigned": "assigned",
              "none": "no owner in the content"}


@dataclass
class Links:
    """Where a row's links go: the static report links within the page, the live one to the service."""
    evidence: Callable[[dict], str] = lambda row: f"#{row.get('section') or 'backlog'}"
    issue: Callable[[dict], str | None] = lambda row: None
    owner: Callable[[str], str] | None = None  # a link that filters the backlog by owner (live)
    form: dict = field(default_factory=dict)  # live: {"action": url, "back": query, "owners": [...]}
    issue_to: Callable[[dict], str | None] = lambda row: None  # live: the tracker's URL /report/issue/KEY redirects to


def anchor(key: str) -> str:
    return "row-" + "".join(c if c.isalnum() else "-" for c in key)


def _day(ms) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).date().isoformat() if ms else ""


def _queries(queries: list[dict], n: int = 12) -> str:
    return ", ".join(f"“{esc(q['query'])}”&nbsp;×{q['count']}" for q in queries[:n])


def evidence(row: dict) -> str:
    ev = row.get("evidence") or {}
    out = []
    if row.get("why_short"):  # the row shows the short why; the whole sentence on demand
        out.append(f'<p class="why-all">{esc(row["why"])}</p>')
    votes = ev.get("votes")
    if votes:
        out.append(f"<p>{votes['unhelpful']:,} of {votes['n']:,} votes unhelpful ({pct(votes['rate'])}).</p>")
    if ev.get("reasons"):
        out.append("<p>Reasons: " + ", ".join(f"{esc(r)}&nbsp;×{n}" for r, n in ev["reasons"][:5]) + "</p>")
    if ev.get("comments"):
        out.append(comments({"comments": ev["comments"]}))
    if ev.get("queries"):
        out.append(f"<p>{'Questions to assistants' if ev.get('asked') else 'Searches'}: {_queries(ev['queries'])}</p>")
    for f in ev.get("failed_searches") or []:  # a page's Fix row that holds the failed searches of its need (backlog.rows.fold)
        who = f" from {f['clients']:,} client{'s' if f['clients'] != 1 else ''}" if f.get("clients") else ""
        out.append(f"<p>Failed searches of this page's need, “{esc(f['title'])}” ({f['failed']:,}{who}; {f['bad']:,} "
                   f"clicked a result, then “No”): {_queries(f['queries'])}</p>")
    if ev.get("questions"):  # a search topic's row that holds assistants' questions of its wordings too
        out.append(f"<p>Questions to assistants: {_queries(ev['questions'])}</p>")
    if ev.get("outcomes") and ev.get("asked"):
        o = ev["outcomes"]
        out.append(f"<p>Outcomes: {o['zero']:,} no answer · {o['contact']:,} answered, then escalated to a person · "
                   f"trend {esc(ev['trend']['label'])} (was {ev['trend']['previous']:,})</p>")
    elif ev.get("outcomes"):
        o = ev["outcomes"]
        out.append(f"<p>Outcomes: {o['zero']:,} no result · {o['abandoned']:,} results not clicked · "
                   f"{o['bad']:,} clicked, then “No” · {o['contact']:,} contacted support · trend "
                   f"{esc(ev['trend']['label'])} (was {ev['trend']['previous']:,})</p>")
    if ev.get("journeys"):
        out.append("<p>Journeys went on to reach: " + ", ".join(
            f"<code>{esc(j['id'])}</code>&nbsp;×{j['journeys']}" for j in ev["journeys"]) + "</p>")
    if ev.get("mentioned"):  # names customers added beside the need (report.missing.mentioned_names)
        out.append("<p class=sub>Mentioned: " + esc(", ".join(ev["mentioned"])) + "</p>")
    if ev.get("why_grouped"):
        out.append("<p class=sub>Grouped: " + "; ".join(esc(w) for w in ev["why_grouped"][:3]) + "</p>")
    for n in ev.get("lead") or []:  # a lead's "same need" / "two needs" (DELETE /api/v1/backlog/links/N undoes it)
        out.append(f"<p class=sub>{esc(n['says'])} (link {n['link']})</p>")
    for w in ev.get("words", []):
        out.append(f"<p><strong>{esc(w['word'])}</strong> ×{w['journeys']}: {w['found_low']} found it low, "
                   f"{w['reached_later']} reached it another way — " + ", ".join(f"“{esc(q)}”" for q in w["queries"])
                   + "</p>")
    suggestion = row.get("suggestion") or {}
    if row["action"] == "write" and suggestion:
        out.append(f"<p>New file <code>{esc(suggestion['path'])}</code>; its keywords could be: "
                   f"{esc(', '.join(suggestion.get('keywords', [])))}</p>")
    elif isinstance(suggestion.get("keywords"), str):
        out.append(f"<pre>{esc((row.get('source') or {}).get('path', ''))}:\n{esc(suggestion['keywords'])}</pre>")
        for group in suggestion.get("synonyms") or []:
            if group and isinstance(group[0], str):
                out.append(f'<p class=sub>or in synonyms.yml: <code>- [{esc(", ".join(group))}]</code></p>')
    if not out:
        return ""
    return f"<details><summary>Evidence</summary>{''.join(out)}</details>"


def says(row: dict) -> str:
    """A row's why as a screen shows it: the short form (``backlog.rows``: the numbers and the
    verdict in a line or two at 390 px) when there is one, the whole sentence under Evidence."""
    return row.get("why_short") or row["why"]


def _follow(row: dict) -> str:
    f = row.get("follow_up")
    if not f:
        return ""
    verdicts = [v for v in ((f.get("searches") or {}).get("verdict"), (f.get("votes") or {}).get("verdict")) if v]
    badge = "".join(f'<span class="badge {VERDICT_CLASS.get(v, "thin")}">{esc(v)}</span> ' for v in dict.fromkeys(verdicts))
    return f'<p class="follow"><strong>Did the fix work?</strong> {badge}{esc(f["summary"])}</p>'


def _previously(row: dict) -> str:
    p = row.get("previously")
    if not p:
        return ""
    return (f'<p class="sub">Marked {esc(STATUSES.get(p["status"], p["status"]))} on {_day(p["at_ms"])} when it '
            f'recommended {esc(p["action"])} → {esc(p.get("target_title") or p["target"])}; the report now recommends '
            f'this instead, so it is open again.</p>')


def _subject(row: dict) -> str:
    s = row["subject"]
    title = f"<strong>{esc(s['title'])}</strong>"
    if row["action"] == "retag" and row.get("target_title"):
        title += f" → {esc(row['target_title'])}"
    gone = '' if row.get("current", True) else ' <span class="badge thin">no longer recommended</span>'
    return f'<span class="badge act act-{esc(row["action"])}">{esc(row["verb"])}</span> {title}{gone}'


def _decision(row: dict, links: Links) -> str:
    form = links.form
    if not form:
        note = f'<p class="note">{esc(row["note"])}</p>' if row.get("note") else ""
        return (f'<td><span class="badge st st-{esc(row["status"])}">{esc(STATUSES[row["status"]])}</span>'
                f'{note}</td>')
    ident = anchor(row["key"])
    options = "".join(f'<option value="{k}"{" selected" if k == row["status"] else ""}>{esc(v)}</option>'
                      for k, v in STATUSES.items())
    owner = row["owner"] if row.get("owner_from") == "assigned" else ""
    return (f'<td class="decide"><form method="post" action="{esc(form["action"])}" class="decide" '
            f'data-key="{esc(row["key"])}"><input type="hidden" name="key" value="{esc(row["key"])}">'
            f'<input type="hidden" name="back" value="{esc(form["back"])}#{ident}">'
            + (f'<input type="hidden" name="days" value="{int(form["days"])}">' if form.get("days") else "") +
            f'<label for="s-{ident}">Status</label><select id="s-{ident}" name="status">{options}</select>'
            f'<label for="o-{ident}">Owner</label><input id="o-{ident}" name="owner" list="owners" value="{esc(owner)}" '
            f'placeholder="{esc(row.get("default_owner") or row["owner"])}" autocomplete="off">'
            f'<label for="n-{ident}">Note</label><textarea id="n-{ident}" name="note" rows="1">{esc(row.get("note") or "")}'
            f'</textarea><button type="submit">Save</button><span class="saved sub" role="status"></span></form></td>')


def _link_forms(row: dict, links: Links) -> str:
    """Live only, on a missing-content topic row: a lead says it is the same need as another
    row, two needs with another row, or two needs in itself (split at one of its wordings);
    each link is undone from the list above the backlog (``links_list``) or in place."""
    action = links.form.get("links") if links.form else None
    topic = row.get("topic") or ""
    if not action or not topic.startswith("topic:"):
        return ""
    ident = anchor(row["key"])
    hidden = (f'<input type="hidden" name="topic" value="{esc(topic)}">'
              f'<input type="hidden" name="back" value="{esc(links.form["back"])}#{ident}">')
    repeats = (row.get("evidence") or {}).get("repeats") or {}
    said = (f'<p class="sub">The report says it may be the same need as #{repeats.get("rank", "?")} '
            f'“{esc(repeats.get("label", ""))}”{esc(": " + repeat_says(repeats).rstrip(", ") if repeat_says(repeats) else "")}.</p>'
            if repeats else "")
    twin = (row.get("evidence") or {}).get("twin_of") or {}
    if twin and not repeats:
        said = (f'<p class="sub">The report ranks it by its own failed searches: it resembles #{twin.get("rank", "?")} '
                f'“{esc(twin.get("label", ""))}” alone (a near-duplicate need, or the same need).</p>')
        repeats = twin
    wordings = "".join(f'<option>{esc(q["query"])}</option>' for q in (row.get("evidence") or {}).get("queries", [])[:12])
    split = (f'<form method="post" action="{esc(action)}" class="link">{hidden}'
             f'<label for="lw-{ident}">Or two needs in this row: mark its wordings, a second need\'s (Split here) '
             f'and this row\'s own (Keep in this row); the marks make one split, the more the cleaner</label>'
             f'<select id="lw-{ident}" name="wording">{wordings}</select>'
             f'<button type="submit" name="kind" value="two">Split here</button>'
             f'<button type="submit" name="kind" value="same">Keep in this row</button>'
             f'<span class="saved sub" role="status"></span></form>' if wordings else "")
    return (f'<details class="links"><summary>Same need / two needs</summary>{said}'
            f'<form method="post" action="{esc(action)}" class="link">{hidden}'
            f'<label for="lo-{ident}">Other row (its topic id; type to pick a row)</label>'
            f'<input id="lo-{ident}" name="other" list="topic-rows" value="{esc(repeats.get("topic_id", ""))}" '
            f'autocomplete="off" placeholder="topic:…">'
            f'<button type="submit" name="kind" value="same">Same need</button>'
            f'<button type="submit" name="kind" value="two">Two needs</button>'
            f'<span class="saved sub" role="status"></span></form>{split}</details>')


def links_list(links_now: list[dict], labels: dict[str, str], action: str, back: str) -> str:
    """The lead's links as stored now, each with an Undo button (they apply at the next report)."""
    if not links_now:
        return ""
    items = []
    for link in links_now:
        if link.get("other"):
            what = "the same need as" if link["kind"] == "same" else "two needs with"
        else:  # a mark at one of the row's wordings: "Keep in this row" (same) or "Split here" (two)
            what = "kept in this row at" if link["kind"] == "same" else "split at"
        other = (f'“{esc(labels.get(link["other"], link["other"]))}”' if link.get("other")
                 else f'“{esc(link.get("wording") or "")}”')
        items.append(f'<li><form method="post" action="{esc(action)}" class="link">'
                     f'<input type="hidden" name="undo" value="{int(link["id"])}">'
                     f'<input type="hidden" name="back" value="{esc(back)}">'
                     f'<span>Link {int(link["id"])}: “{esc(labels.get(link["topic"], link["topic"]))}” {what} {other}</span>'
                     f'<button type="submit">Undo link {int(link["id"])}</button>'
                     f'<span class="saved sub" role="status"></span></form></li>')
    return (f'<details class="links"><summary>A lead\'s same need / two needs links ({len(links_now)}): they apply at '
            f'the next report (Refresh now)</summary><ul class="plain">{"".join(items)}</ul></details>')


def row_html(row: dict, number: int, links: Links) -> str:
    source = row.get("source") or {}
    where = f"{source.get('path', '')}:{source['line']}" if source.get("line") else source.get("path", "")
    extra = []
    if source.get("path"):
        verb = "new file" if row["action"] == "write" else "edit"
        extra.append(source_link(source.get("href", ""), f"{verb} {esc(where)}", "edit"))
    extra.append(f'<a href="{esc(links.evidence(row))}">all evidence</a>')
    issue = links.issue(row)
    if issue:
        extra.append(f'<a href="{esc(issue)}" rel="noopener noreferrer" target="_blank">open an issue</a>')
    owner = esc(row["owner"])
    if links.owner:
        owner = f'<a href="{esc(links.owner(row["owner"]))}">{owner}</a>'
    return (f'<tr id="{anchor(row["key"])}" data-key="{esc(row["key"])}" data-status="{esc(row["status"])}">'
            f'<td class="num no" data-sort="{number}">{number}</td><td class="rec">{_subject(row)}<p class="why">{esc(says(row))}</p>{_previously(row)}'
            f'{_follow(row)}{evidence(row)}{_link_forms(row, links)}<div class="sub"><code>{esc(row["key"])}</code> · {" · ".join(extra)}</div></td>'
            f'<td>{owner}<div class="sub">{esc(OWNER_FROM.get(row.get("owner_from"), ""))}</div></td>'
            f'<td class="num cust" data-sort="{row["customers"]}">{row["customers"]:,}{_customers_from(row)}</td>'
            f'{_decision(row, links)}</tr>')


def _customers_from(row: dict) -> str:
    said = customers_from(row)
    return f'<div class="sub">{esc(said)}</div>' if said else ""


def backlog_table(rows: list[dict], links: Links, *, start: int = 1, empty: str = "Nothing to do.") -> str:
    body = [row_html(r, start + i, links) for i, r in enumerate(rows)]
    head = ["#", "Recommendation", "Owner", "Customers", "Decision" if links.form else "Status"]
    return table(head, body, numeric={0, 3}, nosort={1, 4}, empty=empty, klass="backlog")


# -- at a glance -------------------------------------------------------------------------
def _search_cell(r: dict) -> str:
    """A group of searches (report.top.searches): its name, and its exact wordings on drill-down."""
    wordings = r.get("wordings") or []
    if r.get("variants", 1) <= 1 or len(wordings) <= 1:
        return f'<td>{esc(r["query"])}</td>'
    more = r["variants"] - len(wordings)
    listed = "".join(f'<li>{esc(w["query"])} <span class="sub">×{w["searches"]:,}</span></li>' for w in wordings)
    if more > 0:
        listed += f'<li class="sub">and {more:,} more</li>'
    return (f'<td><details><summary>{esc(r["query"])} <span class="sub">+{r["variants"] - 1:,} '
            f'wording{"" if r["variants"] == 2 else "s"}</span></summary><ul class=plain>{listed}</ul></details></td>')


def _success_cell(r: dict) -> str:
    """A search line's success share, and (when it did) how many of its searches the Ask box answered."""
    value = r["success"] if r["success"] is not None else -1
    if not r.get("answered"):
        return num(value, pct(r["success"]))
    return (f'<td class="num" data-sort="{esc(value)}">{esc(pct(r["success"]))}'
            f'<div class="sub">{r["answered"]:,} answered by the Ask box</div></td>')


def _succeeded_cell(r: dict, top: int) -> str:
    """A succeeded line's count as it is ranked (``succeeded_counted``: each client for at most
    ``SEARCHES_PER_CLIENT``), its plain searches and clients under it when they differ (RP4)."""
    shown = r.get("succeeded_counted", r["searches"] - r["failed"])
    under = ""
    if shown != r["searches"] - r["failed"]:
        under = (f'<div class="sub">counted, of {r["searches"] - r["failed"]:,} succeeded searches from '
                 f'{_clients(r.get("succeeded_clients", 0))}</div>')
    return (f'<td data-sort="{shown}">{hbar(shown, top, colour=GOOD, label=f"{shown:,} succeeded searches counted")} '
            f'{shown:,}{under}</td>')


def _searches_table(rows: list[dict], by_client: bool) -> str:
    rows = rows[:10]
    top = max((r.get("succeeded_counted", r["searches"] - r["failed"]) for r in rows), default=1) or 1
    body = [f'<tr>{_search_cell(r)}{_succeeded_cell(r, top)}{_success_cell(r)}</tr>' for r in rows]
    head = f"Succeeded, at most {SEARCHES_PER_CLIENT} a client" if by_client else "Succeeded searches"
    return table(["Search", head, "Share succeeded"], body, numeric={2}, empty="No searches in this period.")


def ranked_count(c: dict) -> int:
    """What Missing content ranks a row by: its failed searches counted by client (each client for
    at most ``SEARCHES_PER_CLIENT``; ``missing.counted``), or the plain failed searches when the
    store cannot tell clients apart."""
    return c.get("counted", c["failed"])


def failed_header(m: dict, noun: str = "Failed searches") -> str:
    """The count column's name: what ``ranked_count`` counts."""
    counted = (m.get("by_client") or {}).get("counted", False)
    return f"{noun}, at most {SEARCHES_PER_CLIENT} a client" if counted else noun


def _clients(n: int) -> str:
    return f'{n:,} client{"s" if n != 1 else ""}'


def failed_cell(c: dict, top: int, kinds: str, noun: str = "failed searches") -> str:
    """A Missing-content row's count as it is ranked (``ranked_count``: one client's many searches
    never make a row look big), the bar drawn from it; the plain failed searches and their clients
    under it when they differ (session 44's reader, RP4)."""
    shown = ranked_count(c)
    clients = _clients(c["clients"]) if "clients" in c else ""
    if shown != c["failed"]:
        clients = f'counted, of {c["failed"]:,} {noun} from {clients}' if clients else f'counted, of {c["failed"]:,} {noun}'
    under = " · ".join(x for x in (clients, kinds) if x)
    return (f'<td data-sort="{shown}">{hbar(shown, top, colour=BAD, label=kinds or f"{shown:,} {noun} counted")} <strong>{shown:,}</strong>'
            f'<div class="sub">{esc(under)}</div></td>')


def _need_cell(c: dict) -> str:
    """A Missing-content row at a glance: its title, its verdict, and the wordings customers typed on drill-down."""
    badge = f' <span class="badge {esc(c["status"].split()[0])}">{esc(c["status"])}</span>'
    title = esc(c.get("title") or c["label"])
    queries = c.get("queries") or []
    if len(queries) <= 1:
        return f'<td>{title}{badge}</td>'
    listed = "".join(f'<li>{esc(q["query"])} <span class="sub">×{q["count"]:,}</span></li>' for q in queries[:WORDINGS])
    return (f'<td><details><summary>{title}{badge}</summary><ul class=plain>{listed}</ul></details></td>')


def _not_found_table(m: dict) -> str:
    """What customers could not find: Missing content's first rows, in its order and with its
    count (``ranked_count``), and the share of each need's searches that failed. A need Missing
    content groups is one line, whatever its wordings ("gift card", "redeem a gift card")."""
    rows = (m.get("clusters") or [])[:10]
    top = max((ranked_count(c) for c in rows), default=1) or 1
    body = []
    for c in rows:
        share = c["failed"] / c["searches"] if c.get("searches") else None
        body.append(f'<tr>{_need_cell(c)}{failed_cell(c, top, "")}'
                    f'<td class="num" data-sort="{share if share is not None else -1}">{esc(pct(share))}'
                    f'<div class="sub">of {c.get("searches", c["failed"]):,} searches</div></td></tr>')
    return table(["Need", failed_header(m), "Share failed"], body, numeric={2},
                 empty="No search failed often enough to list this period.", klass="notfound")


def _pages_table(rows: list[dict], key: str, label: str) -> str:
    body = [f'<tr><td>{source_link(r["source"]["href"], esc(r["title"]))}</td>'
            f'{num(r[key], format(r[key], ","))}'
            f'{num(r["rate"] if r["rate"] is not None else -1, pct(r["rate"]))}</tr>' for r in rows[:10]]
    return table(["Page", label, "Unhelpful"], body, numeric={1, 2}, empty=f"No {label.lower()} in this period.")


def _trend(rows: list[dict]) -> str:
    body = [f'<tr><td class=day>{esc(w["from"])}</td>{num(w["searches"], format(w["searches"], ","))}'
            f'{num(w["no_result"] if w["no_result"] is not None else -1, pct(w["no_result"]))}'
            f'{num(w["contacts"], format(w["contacts"], ","))}'
            f'{num(w["contacts_per_100"] if w["contacts_per_100"] is not None else -1, "–" if w["contacts_per_100"] is None else format(w["contacts_per_100"], ".1f"))}</tr>'
            for w in rows]
    return table(["Week of", "Searches", "No result", "Contacts", "Per 100 searches"], body,
                 numeric={1, 2, 3, 4}, empty="No searches in this period.", blocks=set())


def queues_table(queues: list[dict], links: Links) -> str:
    body = []
    for q in queues:
        owner = esc(q["owner"])
        if links.owner:
            owner = f'<a href="{esc(links.owner(q["owner"]))}">{owner}</a>'
        body.append(f'<tr><td>{owner}</td>{num(q["open"])}{num(q["in_progress"])}{num(q["customers"], format(q["customers"], ","))}'
                    f'{num(q["done"])}{num(q["wont_do"] + q["wrong"])}</tr>')
    return table(["Owner", "Open", "In progress", "Customers (open)", "Done", "Won't do / wrong"], body,
                 numeric={1, 2, 3, 4, 5}, empty="No recommendation this period.", blocks={0})


def _ask_box_weeks(weeks: list[dict]) -> str:
    """The Ask box's share of each week's searches with results (``top.deflection_trend``'s
    ``answered_share``), as columns: "" when the report has no such weeks."""
    if not weeks or "answered_share" not in weeks[0]:
        return ""
    chart = weekly_share_chart(weeks, "answered_share", "Searches the Ask box answered, of those with results")
    counts = " · ".join(f"{esc(w['from'][5:])}: {w['answered']:,}" for w in weeks)
    return (f'<figure class="ask-weeks"><figcaption>The Ask box\'s share, week by week (of searches with results)'
            f'</figcaption>{chart}<div class="sub">searches it answered: {counts}</div></figure>')


def _share(value: float | None) -> str:
    return "under 1%" if value is not None and 0 < value < 0.005 else pct(value)


def _ask_box_share(a: dict | None) -> str:
    """Searches the Ask box answered (results shown, nothing clicked, its answer taken): counted
    as succeeded, so a lead sees why failed searches dropped; this period against the previous."""
    if not a:
        return ""
    share = a["searches"] / a["with_results"] if a["with_results"] else None
    was = a["previous"] / a["previous_with_results"] if a["previous_with_results"] else None
    before = (f"; the previous period {a['previous']:,} ({_share(was)})" if a["previous_with_results"]
              else "; none the previous period")
    # the share's base said in full, with its count: "(0% of those with results)" read as if none had
    # results (the audit, session 45), and 3 of 1,024 is "under 1%", not "0%"
    return (f'<p class="lede ask-box">The Ask box answered {a["searches"]:,} searches this period '
            f'({_share(share)} of the {a["with_results"]:,} searches with results){before}. Customers took its answer and clicked nothing: they count '
            f'as succeeded, not failed.</p>')


def glance(report: dict, links: Links, queues: list[dict] | None = None) -> str:
    top = report.get("top") or {}
    s, p = top.get("searches") or {}, top.get("pages") or {}
    views = ("<h3>Most viewed pages</h3>" + _pages_table(p.get("views", []), "views", "Views")
             if p.get("views_total") else
             '<h3>Most viewed pages</h3><p class="empty">No page views recorded: the site sends them from this '
             'version on (one count per page and day, nothing else; never under Do-Not-Track).</p>')
    return (f'{_ask_box_share(s.get("answered"))}{_ask_box_weeks(top.get("deflection_trend") or [])}'
            f'<div class="two"><div><h3>Top searches that succeeded</h3>{_searches_table(s.get("succeeded", []), ((report.get("missing") or {}).get("by_client") or {}).get("counted", False))}</div>'
            f'<div><h3>What customers could not find</h3><p class="sub">Missing content\'s first needs, in its order: '
            f'each need once, whatever words customers used; <a href="#missing">all of them</a>.</p>'
            f'{_not_found_table(report.get("missing") or {})}</div></div>'
            f'<div class="two"><div>{views}</div>'
            f'<div><h3>Pages customers contact support from</h3>{_pages_table(p.get("contacts", []), "contacts", "Contacts")}</div></div>'
            f'<div class="two"><div><h3>Pages reached most from search</h3>{_pages_table(p.get("clicks", []), "clicks", "Result clicks")}</div>'
            f'<div><h3>Deflection, week by week</h3>{_trend(top.get("deflection_trend", []))}</div></div>'
            f'<h3>Per-owner queues</h3>{queues_table(queues if queues is not None else report["backlog"]["queues"], links)}')

