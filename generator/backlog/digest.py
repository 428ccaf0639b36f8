"""The digest: what changed in the backlog since the last run (``carebase report --since-last``).

Each run with ``--since-last`` compares the report just built with what the previous run kept
in ``<out>/digest-state.json`` (every row's status, owner, customers and follow-up verdict,
the headline numbers, and when) and writes ``digest.md`` and ``digest.html`` with only what
changed: new recommendations, rows no longer recommended, decisions taken (status, owner),
done rows whose "did the fix work?" verdict changed, rows whose customers grew, and the
headline numbers then and now. The first run has nothing to compare with: it says so and
lists the top open rows. The state file is then replaced, so the next digest starts here.
Customer text (search wordings in titles) is escaped in both formats.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from carebase.backlog.states import STATUSES
from carebase.report.html_charts import esc
from carebase.report.safe_text import md_text

STATE_FILE = "digest-state.json"
STATE_VERSION = 1
GROWTH = 1.5  # a row "grew" when its customers are at least 1.5 times the last run's …
GROWTH_MIN = 10  # … and at least 10 more
TOP_FIRST = 5  # the first digest lists this many open rows
QUIET_VERDICTS = ("too few votes",)  # a follow-up that cannot tell yet is no news


def _state_of(report: dict, now_ms: int) -> dict:
    rows = {}
    for r in report["backlog"]["rows"]:
        rows[r["key"]] = {"status": r["status"], "owner": r["owner"], "customers": r["customers"],
                          "current": r.get("current", True), "verb": r["verb"], "title": r["subject"]["title"],
                          "verdict": _verdict(r)}
    s = report["summary"]
    headline = {"votes": s["votes"], "searches": s["searches"], "unhelpful_rate": s["unhelpful_rate"],
                "failed_share": report["deflection"]["current"]["share"]["failed"] if report["deflection"]["current"]["searches"] else None,
                "open": sum(1 for r in report["backlog"]["rows"] if r["status"] in ("open", "in_progress"))}
    return {"version": STATE_VERSION, "at_ms": now_ms, "period": report["period"]["label"], "rows": rows,
            "headline": headline}


def _verdict(row: dict) -> str | None:
    """The follow-up's verdict: the searches' (or questions') for a topic, else the votes'."""
    follow = row.get("follow_up") or {}
    topic = (follow.get("searches") or follow.get("questions")) if row.get("topic") else None
    part = topic or follow.get("votes")
    return (part or {}).get("verdict")


def read_state(out: Path) -> tuple[dict | None, str]:
    """The previous run's state, or (None, why there is none)."""
    path = Path(out) / STATE_FILE
    if not path.is_file():
        return None, "first digest: nothing to compare with yet"
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"{path} could not be read ({exc}); this digest starts afresh"
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION or not isinstance(state.get("rows"), dict):
        return None, f"{path} is not a digest state of this version; this digest starts afresh"
    return state, ""


def changes(before: dict | None, report: dict, now_ms: int) -> dict:
    """What changed between the previous state and this report (everything, grouped)."""
    now = _state_of(report, now_ms)
    out = {"since_ms": before["at_ms"] if before else None, "at_ms": now_ms, "period": now["period"],
           "headline": {"now": now["headline"], "before": before["headline"] if before else None},
           "new": [], "gone": [], "decided": [], "verdicts": [], "grew": [], "top": [], "state": now}
    by_key = {r["key"]: r for r in report["backlog"]["rows"]}
    if before is None:
        out["top"] = [_line(by_key[k]) for k, r in now["rows"].items() if r["status"] == "open" and r["current"]][:TOP_FIRST]
        return out
    old = before["rows"]
    for key, r in now["rows"].items():
        was = old.get(key)
        row = by_key[key]
        if was is None or (not was["current"] and r["current"] and was["status"] in ("open", "in_progress")):
            if r["current"]:
                out["new"].append(_line(row))
            continue
        if r["current"] and was["current"] and was["verb"] != r["verb"]:
            out["new"].append({**_line(row), "was_verb": was["verb"]})  # the same topic, another action now
        if was["current"] and not r["current"]:
            out["gone"].append({**_line(row), "status": r["status"]})
        if was["status"] != r["status"] or was["owner"] != r["owner"]:
            out["decided"].append({**_line(row), "was_status": was["status"], "was_owner": was["owner"]})
        if r["verdict"] and r["verdict"] not in QUIET_VERDICTS and r["verdict"] != was.get("verdict"):
            out["verdicts"].append({**_line(row), "verdict": r["verdict"], "summary": (row.get("follow_up") or {}).get("summary", "")})
        if r["current"] and r["status"] in ("open", "in_progress") and r["customers"] >= max(
                was["customers"] * GROWTH, was["customers"] + GROWTH_MIN):
            out["grew"].append({**_line(row), "was_customers": was["customers"]})
    for key, was in old.items():
        if key not in now["rows"] and was["current"] and was["status"] in ("open", "in_progress"):
            out["gone"].append({"key": key, "verb": was["verb"], "title": was["title"], "owner": was["owner"],
                                "customers": was["customers"], "status": was["status"]})
    return out


def _line(row: dict) -> dict:
    return {"key": row["key"], "verb": row["verb"], "title": row["subject"]["title"], "owner": row["owner"],
            "customers": row["customers"]}


def count(d: dict) -> int:
    return sum(len(d[k]) for k in ("new", "gone", "decided", "verdicts", "grew"))


def _when(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ms / 1000))


def _pct(x) -> str:
    return "—" if x is None else f"{x * 100:.1f} %"


def _headline_lines(d: dict) -> list[str]:
    now, before = d["headline"]["now"], d["headline"]["before"]
    pairs = [("searches", f"{now['searches']:,}", before and f"{before['searches']:,}"),
             ("searches that failed", _pct(now["failed_share"]), before and _pct(before["failed_share"])),
             ("votes", f"{now['votes']:,}", before and f"{before['votes']:,}"),
             ("votes saying “not helpful”", _pct(now["unhelpful_rate"]), before and _pct(before["unhelpful_rate"])),
             ("open and in-progress rows", f"{now['open']:,}", before and f"{before['open']:,}")]
    return [f"{label}: {value}" + (f" (was {was})" if was and was != value else "") for label, value, was in pairs]


SECTIONS = (("new", "New recommendations"), ("decided", "Decisions taken"), ("verdicts", "Did the fix work?"),
            ("grew", "Growing"), ("gone", "No longer recommended"))


def render_markdown(d: dict, report_url: str = "") -> str:
    since = f"since {_when(d['since_ms'])}" if d["since_ms"] else "first digest"
    lines = [f"# Help-centre backlog: what changed ({since})", "",
             f"Period {d['period']}. " + ("; ".join(_headline_lines(d))) + ".", ""]
    if d["since_ms"] is None:
        lines += ["Nothing to compare with yet: the next `carebase report --since-last` lists what changed "
                  "from here. The top open rows now:", ""]
        lines += [f"- {_md(e)}" for e in d["top"]] or ["- none"]
    elif not count(d):
        lines += ["Nothing changed in the backlog."]
    for key, title in SECTIONS:
        if not d[key]:
            continue
        lines += ["", f"## {title} ({len(d[key])})", ""]
        lines += [f"- {_md(e)}{_extra_md(key, e)}" for e in d[key]]
    if report_url:
        lines += ["", f"The live report: {report_url}"]
    return "\n".join(lines) + "\n"


def _md(e: dict) -> str:
    return f"{e['verb']} “{md_text(e['title'])}” — {md_text(e['owner'])}, {_customers(e['customers'])}"


def _extra_md(kind: str, e: dict) -> str:
    """The carebase-written part after a row (statuses, numbers, dates); owners are customer-set
    text in the lead's hands, escaped all the same."""
    if kind == "decided" and e["was_owner"] != e["owner"]:
        status = _extra_text(kind, {**e, "was_owner": e["owner"]})
        owner = f"owner {md_text(e['was_owner'])} → {md_text(e['owner'])}"
        return f" ({status[2:-1]}, {owner})" if status else f" ({owner})"
    return _extra_text(kind, e)


def _extra_text(kind: str, e: dict) -> str:
    if kind == "decided":
        bits = []
        if e["was_status"] != e["status_now"]:
            bits.append(f"status {STATUSES[e['was_status']]} → {STATUSES[e['status_now']]}")
        if e["was_owner"] != e["owner"]:
            bits.append(f"owner {e['was_owner']} → {e['owner']}")
        return " (" + ", ".join(bits) + ")" if bits else ""
    if kind == "verdicts":
        return f": {e['verdict']}. {e['summary']}"
    if kind == "new" and e.get("was_verb"):
        return f" (was: {e['was_verb']})"
    if kind == "grew":
        return f" (was {e['was_customers']:,})"
    if kind == "gone":
        return f" (status {STATUSES.get(e['status'], e['status'])})"
    return ""


def render_html(d: dict, report_url: str = "") -> str:
    since = f"since {_when(d['since_ms'])}" if d["since_ms"] else "first digest"
    parts = [f"<h1>Help-centre backlog: what changed ({esc(since)})</h1>",
             f"<p>Period {esc(d['period'])}.</p><ul>" + "".join(f"<li>{esc(x)}</li>" for x in _headline_lines(d)) + "</ul>"]
    if d["since_ms"] is None:
        parts.append("<p>Nothing to compare with yet: the next <code>carebase report --since-last</code> lists what "
                     "changed from here. The top open rows now:</p><ul>"
                     + ("".join(f"<li>{esc(_plain(e))}</li>" for e in d["top"]) or "<li>none</li>") + "</ul>")
    elif not count(d):
        parts.append("<p>Nothing changed in the backlog.</p>")
    for key, title in SECTIONS:
        if d[key]:
            parts.append(f"<h2>{esc(title)} ({len(d[key])})</h2><ul>"
                         + "".join(f"<li>{esc(_plain(e) + _extra_text(key, e))}</li>" for e in d[key]) + "</ul>")
    if report_url:
        parts.append(f'<p><a href="{esc(report_url)}">The live report</a></p>')
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Backlog digest</title></head>'
            '<body style="font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:24px auto;padding:0 12px">'
            + "".join(parts) + "</body></html>\n")


def _plain(e: dict) -> str:
    return f"{e['verb']} “{e['title']}” — {e['owner']}, {_customers(e['customers'])}"


def _customers(n: int) -> str:
    return f"{n:,} customer{'' if n == 1 else 's'}"


def write_digest(report: dict, out, *, report_url: str = "", now_ms: int | None = None) -> tuple[list[Path], dict]:
    """Compare with the previous run, write digest.md and digest.html, keep the new state."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    before, why = read_state(out)
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    d = changes(before, report, now_ms)
    for e in d["decided"]:
        e["status_now"] = next(r["status"] for r in report["backlog"]["rows"] if r["key"] == e["key"])
    d["note"] = why
    written = []
    for name, text in (("digest.md", render_markdown(d, report_url)), ("digest.html", render_html(d, report_url))):
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    state = out / STATE_FILE
    scratch = state.with_suffix(".tmp")
    scratch.write_text(json.dumps(d["state"], ensure_ascii=False), encoding="utf-8")
    scratch.replace(state)
    return written, d
