"""The live report page (``GET /report`` in the service): the same model and the same sections
as the static ``index.html``, with the backlog filtered, paginated and decided on.

Inline CSS and scripts under a strict Content-Security-Policy (scripts by hash, requests and
forms to the service only). Without JavaScript every control is a plain form (filters are a
GET, decisions and "Refresh now" POST and come back here); with it, a decision is saved in
place and the filters apply as they change.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time
from urllib.parse import quote

from carebase.backlog.filters import DEFAULT_LANG, PAGE_SIZE, PERIODS, SECTION_ROWS_MAX, STATUS_CHOICES, View
from carebase.backlog.issue import issue_url, tracker
from carebase.backlog.states import STATUSES
from carebase.report import html_assistants, html_backlog, html_sections as sections
from carebase.report.html_assets import CSS, JS
from carebase.report.html_charts import esc

LIVE_JS = """(function(){
var filters=document.querySelector('form.filters');
if(filters){filters.querySelectorAll('select').forEach(function(s){s.addEventListener('change',function(){filters.submit();});});}
document.querySelectorAll('form.decide').forEach(function(form){
 form.addEventListener('submit',function(e){
  e.preventDefault();
  var said=form.querySelector('.saved'),data={key:form.elements.key.value,status:form.elements.status.value,
   owner:form.elements.owner.value,note:form.elements.note.value};
  if(form.elements.days){data.days=parseInt(form.elements.days.value,10);}
  said.textContent='Saving…';
  fetch(form.action,{method:'POST',headers:{'Content-Type':'application/json','Accept':'application/json'},
   body:JSON.stringify(data),credentials:'same-origin'}).then(function(r){
   return r.json().then(function(body){
    if(!r.ok){said.textContent='Not saved: '+(body.error||r.status);return;}
    var row=form.closest('tr');row.setAttribute('data-status',body.state.status);
    var owner=row.querySelector('td:nth-child(3)');
    if(owner&&body.row&&body.row.owner){var a=owner.querySelector('a');(a||owner.firstChild).textContent=body.row.owner;}
    said.textContent='Saved: '+body.label+'.';
   });
  },function(){said.textContent='Not saved: the service did not answer.';});
 });
});
function linkPost(form,data,said,done){
 said.textContent='Saving…';
 fetch(form.action,{method:'POST',headers:{'Content-Type':'application/json','Accept':'application/json'},
  body:JSON.stringify(data),credentials:'same-origin'}).then(function(r){
  return r.json().then(function(body){
   if(!r.ok){said.textContent='Not saved: '+(body.error||r.status);return;}
   done(body);
  });
 },function(){said.textContent='Not saved: the service did not answer.';});
}
var waiting=document.querySelector('[data-poll-ms]');
if(waiting){
 var pollMs=parseInt(waiting.getAttribute('data-poll-ms'),10)||5000;
 var poll=function(){setTimeout(function(){
  fetch(location.href,{headers:{'X-Carebase-Poll':'1'},credentials:'same-origin',cache:'no-store'}).then(function(r){
   if(r.status===204){location.reload();}else{poll();}},poll);},pollMs);};
 poll();
}
function undoButton(form,said,id){
 var b=document.createElement('button');b.type='button';b.textContent='Undo link '+id;
 b.addEventListener('click',function(){linkPost(form,{undo:String(id)},said,function(){
  said.textContent='Link '+id+' removed: the next report (Refresh now) no longer applies it.';});});
 said.appendChild(document.createTextNode(' '));said.appendChild(b);
}
document.querySelectorAll('form.link').forEach(function(form){
 form.addEventListener('submit',function(e){
  e.preventDefault();
  var said=form.querySelector('.saved'),data={};
  ['topic','other','wording','kind','undo'].forEach(function(n){var f=form.elements[n];
   if(f&&f.value&&!(f instanceof RadioNodeList)&&f.type!=='submit'){data[n]=f.value;}});
  if(e.submitter&&e.submitter.name==='kind'){data.kind=e.submitter.value;}
  linkPost(form,data,said,function(body){
   if(body.removed){said.textContent='Link '+body.removed+' removed: the next report (Refresh now) no longer applies it.';
    var b=form.querySelector('button');if(b){b.disabled=true;}return;}
   said.textContent='Saved as link '+body.id+': the next report (Refresh now) applies it.';undoButton(form,said,body.id);
  });
 });
});
})();"""

STATUS_LABELS = {"active": "open and in progress", **STATUSES, "all": "all"}
KIND_LABELS = {"article": "article", "faq": "FAQ question", "video": "video", "faq group": "FAQ file",
               "topic": "missing-content topic"}


def csp() -> str:
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in (JS, LIVE_JS))
    return (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {hashes}; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def ago(ms: int | None, now_ms: int) -> str:
    if ms is None:
        return "never"
    s = max(0, (now_ms - ms) // 1000)
    if s < 90:
        return f"{s} s ago"
    if s < 5400:
        return f"{s // 60} min ago"
    if s < 2 * 86400:
        return f"{s // 3600} h ago"
    return f"{s // 86400} days ago"


def _select(name: str, label: str, current: str, choices: list[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{esc(v)}"{" selected" if v == current else ""}>{esc(t)}</option>' for v, t in choices)
    return f'<div><label for="f-{name}">{esc(label)}</label><select id="f-{name}" name="{name}">{options}</select></div>'


def _languages(view: View, opts: dict) -> str:
    """A multilingual help centre (``opts["languages"]``: (code, name), the default first): the
    language picks which report is shown — each language's own (``carebase report --lang``)."""
    found = opts.get("languages") or []
    if len(found) < 2:
        return ""
    choices = [(DEFAULT_LANG, f"{found[0][1]} (site language)")] + [(code, name) for code, name in found[1:]]
    current = view.lang if view.lang in {code for code, _ in found[1:]} else DEFAULT_LANG
    return _select("lang", "Language", current, choices)


def filter_form(view: View, opts: dict, root: str = "") -> str:
    def pick(field, labels=None):
        return [("", "any")] + [(v, f"{(labels or {}).get(v, t)} ({n})") for v, t, n in opts[field]]
    fields = [
        _select("days", "Period", str(view.days), [(str(d), f"last {d} days") for d in PERIODS]),
        _select("status", "Status", view.status, [(s, STATUS_LABELS[s]) for s in STATUS_CHOICES]),
        _select("owner", "Owner", view.owner, pick("owner")),
        _select("category", "Category", view.category, pick("category")),
        _select("kind", "Kind", view.kind, pick("kind", KIND_LABELS)),
        _select("action", "Action", view.action, pick("action")),
        _languages(view, opts) or _select("lang", "Language", view.lang, pick("lang", {DEFAULT_LANG: "site language"})),
    ]
    return (f'<form class="filters" method="get" action="{esc(root)}/report" aria-label="Filter the backlog">{"".join(fields)}'
            f'<button type="submit">Apply</button></form>')


def _header(model: dict | None, view: View, status, now_ms: int, root: str = "") -> str:
    period = model["period"]["label"] if model else f"last {view.days} days"
    state = ""
    if status.building:
        state = " · building a fresh one now"
    if status.error:
        state += f" · the last build failed: {esc(status.error)}"
    # no report built yet: "no report yet", not "data from never" (session 44's audit)
    age = f"data from {esc(ago(status.built_ms, now_ms))}" if status.built_ms is not None else "no report yet"
    return (f'<header class="top"><h1>Content-gap report</h1><p>{esc(period)} · '
            f'<span class="age">{age}{state}</span></p>'
            f'<form method="post" action="{esc(root)}/report/refresh"><input type="hidden" name="days" value="{view.days}">'
            f'<input type="hidden" name="lang" value="{esc(view.lang)}">'
            f'<input type="hidden" name="back" value="{esc(view.query())}"><button type="submit">Refresh now</button></form>'
            '</header>')


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
{body}
<script>{JS}</script>
<script>{LIVE_JS}</script>
</body>
</html>
"""


POLL_MS = 5000  # how often the waiting page asks whether the report is ready


def waiting_page(view: View, status, now_ms: int, *, reason: str = "", root: str = "") -> str:
    """The page shown while a period's report is built. It asks the service every ``POLL_MS``
    whether the report is ready (``X-Carebase-Poll``: 202, then 204) and reloads once, when it
    is; without JavaScript, "Reload" does it. (A ``<meta http-equiv=refresh>`` reloaded the page
    every 5 s: a timed refresh a lead cannot stop, axe's ``meta-refresh``, WCAG 2.2.1.)"""
    started = f" (started {int(time.monotonic() - status.started_s)} s ago)" if status.started_s else ""
    text = reason or (f"Preparing the report for the last {view.days} days{started}: this page reloads by itself "
                      "when it is ready. On a large store this takes a while the first time; later views come from "
                      "the kept copy.")
    here = view.query()
    again = "" if reason else f' <a href="{esc(root)}/report{"?" + esc(here) if here else ""}">Reload</a>'
    poll = "" if reason else f' data-poll-ms="{POLL_MS}"'
    body = (_header(None, view, status, now_ms, root) + f'<main><section id="backlog"{poll}><h2>Backlog</h2><p class="lede" '
            f'role="status">{esc(text)}{again}</p></section></main>')
    return _page("Content-gap report", body)


def links_for(view: View, model: dict, base_url: str, root: str = "") -> html_backlog.Links:
    """``base_url``: the service's own URL as the browser sees it; ``root``: its path prefix."""
    edit_url = model.get("edit_url")
    here = f"?days={view.days}" + (f"&lang={quote(view.lang, safe='')}" if view.lang else "")
    return html_backlog.Links(
        evidence=lambda row: f"{root}/report/rows/{quote(row['key'], safe='')}?days={view.days}",
        # the page links to /report/issue/KEY (a 303 to issue_to's URL) rather than carrying the prefilled URL
        issue=(lambda row: f"{root}/report/issue/{quote(row['key'], safe='')}{here}") if tracker(edit_url) else (lambda row: None),
        issue_to=lambda row: issue_url(edit_url, row, report_url=f"{base_url}report/rows/{quote(row['key'], safe='')}"),
        owner=lambda owner: f"{root}/report?" + view.query(owner=owner, page=1),
        form={"action": f"{root}/report/backlog", "back": view.query(), "days": view.days, "links": f"{root}/report/links"},
    )


def _topic_rows(rows: list[dict]) -> tuple[str, dict[str, str]]:
    """(the datalist of the period's topic rows for the link forms, each topic's label)."""
    topics = [r for r in rows if (r.get("topic") or "").startswith("topic:")]
    labels = {r["topic"]: r["subject"]["title"] for r in topics}
    datalist = ('<datalist id="topic-rows">' + "".join(f'<option value="{esc(r["topic"])}" label="{esc(r["subject"]["title"])}">'
                                                      for r in topics) + "</datalist>") if topics else ""
    return datalist, labels


def live_page(model: dict, rows: list[dict], view: View, opts: dict, status, *, base_url: str, queues: list[dict],
              message: str = "", root: str = "", topic_links: list[dict] | None = None) -> str:
    now_ms = int(time.time() * 1000)
    links = links_for(view, model, base_url, root)
    shown = view.apply(rows)
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(view.page, pages)
    first = (page - 1) * PAGE_SIZE
    owners = sorted({r["owner"] for r in rows} | {r.get("default_owner") or r["owner"] for r in rows})
    datalist = '<datalist id="owners">' + "".join(f'<option value="{esc(o)}">' for o in owners) + "</datalist>"
    pager = ""
    if pages > 1:
        prev = f'<a href="{esc(root)}/report?{esc(view.query(page=page - 1))}">previous</a>' if page > 1 else ""
        nxt = f'<a href="{esc(root)}/report?{esc(view.query(page=page + 1))}">next</a>' if page < pages else ""
        pager = f'<nav class="pager" aria-label="Pages">{prev}<span>page {page} of {pages}</span>{nxt}</nav>'
    note = f'<p class="lede" role="status">{esc(message)}</p>' if message else '<p class="visually-hidden" role="status"></p>'
    topic_list, labels = _topic_rows(rows)
    datalist += topic_list
    linked = html_backlog.links_list(topic_links or [], labels, f"{root}/report/links", view.query())
    backlog = (f'<section id="backlog"><h2>Backlog</h2><p class="lede">Every recommendation, ranked by the customers it '
               f'affects, with why, the owner, the evidence and the file to edit. Decide here: a status, an owner, a '
               f'note; they are kept in the service\'s database and follow the row from one report to the next.</p>'
               f'{note}{filter_form(view, opts, root)}<p class="sub">{len(shown):,} of {len(rows):,} rows'
               f'{" · " + str(len(model["backlog"]["contradictions"])) + " contradictions (a bug: please report it)" if model["backlog"]["contradictions"] else ""}'
               f'</p>{datalist}{linked}'
               + html_backlog.backlog_table(shown[first:first + PAGE_SIZE], links, start=first + 1,
                                            empty="No row matches these filters.") + pager + "</section>")
    glance = (f'<section id="glance"><h2>At a glance</h2><p class="lede">{esc(sections.GLANCE_LEDE)} (follow an owner to '
              f'filter the backlog).</p>{html_backlog.glance(model, links, queues)}</section>')
    # the links in the page's order: the workspace puts the backlog and At a glance first (audit 46, A9)
    leading = ("backlog", "glance")
    order = [k for k in leading] + [k for k, _ in sections.NAV if k not in leading]
    titles = dict(sections.NAV)
    nav = "".join(f'<a href="#{k}">{titles[k]}</a>' for k in order)
    main = backlog + glance + _report_sections(model, view.limit, f"{root}/report?{view.query(limit=SECTION_ROWS_MAX)}")
    generated = model.get("generated", "")
    body = (_header(model, view, status, now_ms, root) + f'<nav class="toc" aria-label="Sections">{nav}</nav><main>{main}</main>'
            f'<footer>carebase live report · model built {esc(generated)} from {esc(model.get("source", ""))} · '
            f'content {esc(model.get("content_root", ""))}</footer>')
    return _page(f"Content-gap report · {model['period']['label']}", body)


_SECTIONS: list[tuple[dict, int, str, str]] = []  # (model, limit, more, its sections' HTML): the few served lately


def _report_sections(model: dict, limit: int, more: str) -> str:
    """The report's own sections (overview … deflection): they depend on the model (and the
    rows their long tables show, the rest behind the ``more`` link) only, so they
    are rendered once per model, not on every filter change."""
    for kept, kept_limit, kept_more, html in _SECTIONS:
        if kept is model and kept_limit == limit and kept_more == more:
            return html
    html = "".join([sections.overview(model), sections.failing(model, limit, more), sections.missing(model, limit, more),
                    html_assistants.section(model), sections.stale(model, limit, more), sections.coverage(model, limit, more),
                    sections.deflection(model)])
    _SECTIONS.insert(0, (model, limit, more, html))
    del _SECTIONS[4:]
    return html


def _day(ms) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if ms else ""


def row_page(model: dict, row: dict, view: View, history: list[dict], *, base_url: str, all_queries: list[dict],
             root: str = "") -> str:
    links = links_for(view, model, base_url, root)
    links.form.pop("links")  # the link forms are on the backlog page, next to the rows they name
    changes = "".join(f'<li>{esc(_day(h["at_ms"]))}: {esc(h["field"])} {esc(h["old"] or "—")} → {esc(h["new"] or "—")}</li>'
                      for h in history) or "<li>No decision yet.</li>"
    queries = ""
    if all_queries:
        queries = ("<h3>Every search of this topic</h3><ul class=plain>" + "".join(
            f"<li>“{esc(q['query'])}” ×{q['count']}</li>" for q in all_queries[:500]) + "</ul>")
    body = (f'<header class="top"><h1>{esc(row["verb"])} {esc(row["subject"]["title"])}</h1>'
            f'<p><a class="age" href="{esc(root)}/report?{esc(view.query())}#{html_backlog.anchor(row["key"])}">back to the backlog</a>'
            f'</p></header><main><section id="backlog"><h2>Recommendation</h2>'
            f'<datalist id="owners"><option value="{esc(row["owner"])}"></datalist>'
            + html_backlog.backlog_table([row], links) + html_backlog.evidence(row).replace("<details>", "<details open>")
            + f'{queries}<h3>Decisions</h3><ul class=plain>{changes}</ul></section></main>')
    return _page(f"{row['verb']} {row['subject']['title']}", body)
