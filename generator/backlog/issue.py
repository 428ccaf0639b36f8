"""A backlog row as a new GitHub or GitLab issue: a link that opens the tracker's form with the
title and the evidence filled in (nothing is sent anywhere until the lead submits it there).

The tracker comes from the report's ``--edit-url`` (``https://github.com/ORG/REPO/edit/BRANCH/…``
→ ``https://github.com/ORG/REPO/issues/new``; ``https://gitlab.example.com/GROUP/PROJECT/-/edit/…``
→ ``…/-/issues/new``). The body is Markdown in which customer text (searches, comments, the
why sentence that quotes them) is inert (``carebase.report.safe_text``: no link, image,
mention, heading or HTML can come from it); the title is plain text.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from carebase.report.safe_text import md_code, md_text
from carebase.store.cleaning import clean_text

MAX_BODY = 6000  # characters of body (trackers accept URLs of about 8 KB)
_GITHUB = re.compile(r"^/([^/]+)/([^/]+)/(?:edit|blob|tree)/")
_GITLAB = re.compile(r"^/(.+?)/-/(?:edit|blob|tree)/")


def tracker(edit_url: str | None) -> tuple[str, str] | None:
    """("github" | "gitlab", the new-issue URL) for an edit URL, or None when it names neither."""
    if not edit_url:
        return None
    parts = urlsplit(edit_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    base = f"{parts.scheme}://{parts.netloc}"
    if "/-/" in parts.path:
        m = _GITLAB.match(parts.path)
        return ("gitlab", f"{base}/{m.group(1)}/-/issues/new") if m else None
    m = _GITHUB.match(parts.path)  # github.com or a GitHub Enterprise host
    return ("github", f"{base}/{m.group(1)}/{m.group(2)}/issues/new") if m else None


def new_file_url(edit_url: str | None, path: str) -> str | None:
    """The tracker's "create a file" form for ``path`` (relative to the edit URL's folder), or None
    when the edit URL names neither tracker: editing a file that does not exist is a 404 there.
    GitHub: ``…/ORG/REPO/new/BRANCH/FOLDER?filename=NAME``; GitLab: ``…/-/new/BRANCH/FOLDER?file_name=NAME``."""
    found = tracker(edit_url)
    if not found:
        return None
    parts = urlsplit(edit_url)
    m = (_GITLAB if found[0] == "gitlab" else _GITHUB).match(parts.path)
    rest = parts.path[m.end():].strip("/")  # BRANCH/the edit URL's folder
    folder, _, name = f"{rest}/{path.strip('/')}".rpartition("/")
    head = parts.path[:m.end()].rsplit("/", 2)[0]  # …/ORG/REPO or …/GROUP/PROJECT/-
    query = "file_name" if found[0] == "gitlab" else "filename"
    return f"{parts.scheme}://{parts.netloc}{head}/new/{quote(folder)}?{query}={quote(name, safe='')}"


def title_of(row: dict) -> str:
    subject = row["subject"]["title"]
    if row["action"] == "write":
        text = f"Write an article about “{subject}”"
    elif row["action"] == "retag":
        text = f"Add customers' words to “{row.get('target_title') or subject}” ({subject})"
    else:
        text = f"{row['verb']} “{subject}”"
    return clean_text(text)[:200]


def body_of(row: dict, *, report_url: str = "") -> str:
    ev = row.get("evidence") or {}
    source = row.get("source") or {}
    lines = [f"**{md_text(title_of(row))}**", "", f"Why: {md_text(row['why'])}", "",
             f"Owner: {md_text(row['owner'])} · status: {md_text(row.get('status', 'open'))} · "
             f"backlog key {md_code(row['key'], in_table=False)}"]
    if source.get("path"):
        lines.append(f"File to edit: {md_code(source['path'], in_table=False)}")
    suggestion = row.get("suggestion") or {}
    if suggestion.get("keywords") and isinstance(suggestion["keywords"], str):
        lines.append(f"Change: {md_code(suggestion['keywords'], in_table=False)}")
    if ev.get("queries"):
        lines += ["", "Questions to assistants:" if ev.get("asked") else "Searches:"] + [
            f"- “{md_text(q['query'])}” ×{q['count']}" for q in ev["queries"][:10]]
    if ev.get("questions"):
        lines += ["", "Questions to assistants:"] + [f"- “{md_text(q['query'])}” ×{q['count']}" for q in ev["questions"][:10]]
    for word in ev.get("words", [])[:8]:
        lines.append(f"- {md_text(word['word'])}: {word['journeys']} journeys, e.g. "
                     + ", ".join(f"“{md_text(q)}”" for q in word.get("queries", [])[:2]))
    if ev.get("reasons"):
        lines += ["", "Reasons given: " + ", ".join(f"{md_text(r)} ({n})" for r, n in ev["reasons"][:5])]
    if ev.get("comments"):
        lines += ["", "Comments:"] + [f"- {md_text(c['comment'])}" for c in ev["comments"][:5]]
    if row.get("follow_up"):
        lines += ["", f"Did the fix work? {md_text(row['follow_up']['summary'])}"]
    if report_url:
        lines += ["", f"From the carebase report: {report_url}"]
    body = "\n".join(lines)
    return body if len(body) <= MAX_BODY else body[:MAX_BODY].rsplit("\n", 1)[0] + "\n- …"


def issue_url(edit_url: str | None, row: dict, *, report_url: str = "") -> str | None:
    """The prefilled new-issue link for a row, or None when the edit URL names no tracker."""
    found = tracker(edit_url)
    if found is None:
        return None
    kind, new = found
    title, body = quote(title_of(row), safe=""), quote(body_of(row, report_url=report_url), safe="")
    if kind == "github":
        return f"{new}?title={title}&body={body}"
    return f"{new}?issue%5Btitle%5D={title}&issue%5Bdescription%5D={body}"
