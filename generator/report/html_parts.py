"""Small HTML building blocks shared by the report's sections."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from carebase.report.html_charts import esc, pct


def safe_href(href: str) -> str:
    """Only relative paths and http(s) URLs become links (never ``javascript:``)."""
    scheme = urlsplit(href).scheme.lower()
    return href if scheme in ("", "http", "https", "file") else "#"


def source_link(href: str, inner: str, klass: str = "") -> str:
    """``inner`` (HTML) as a link to ``href``; as text when there is nowhere to go (``href`` ""):
    the live report has no link to a source file without an edit URL (``links.browser_links``)."""
    cls = f' class="{klass}"' if klass else ""
    return f'<a{cls} href="{esc(safe_href(href))}">{inner}</a>' if href else f"<span{cls}>{inner}</span>"


def item_cell(row: dict, *, extra: str = "") -> str:
    source = row["source"]
    where = f"{source['path']}:{source['line']}" if source.get("line") else source["path"]
    kind = f'<span class="badge kind">{esc(row.get("kind", ""))}</span> ' if row.get("kind") else ""
    return (f'<td class="title">{kind}{source_link(source["href"], esc(row["title"]))}{extra}'
            f'<div class="sub">{esc(row.get("id", ""))} · {source_link(source["href"], "edit " + esc(where), "edit")}</div></td>')


def num(value, text: str | None = None) -> str:
    sort = "" if value is None else f' data-sort="{esc(value)}"'
    return f'<td class="num"{sort}>{esc(text if text is not None else value)}</td>'


def table(headers: list[str], rows: list[str], *, numeric: set[int] = frozenset(), nosort: set[int] = frozenset(),
          caption: str = "", empty: str = "Nothing to report.", klass: str = "", blocks: set[int] | None = None) -> str:
    """``blocks``: on a phone (under 700 px) each row is a block, each cell on a line of its own,
    its column's name before it but for the columns in ``blocks`` (a row's name: the cell says
    what it is); None: the table scrolls sideways in its box instead."""
    if not rows:
        return f'<p class="empty">{esc(empty)}</p>'
    if blocks is not None:
        rows = [labelled(row, headers, blocks) for row in rows]
        klass = f"{klass} blocks".strip()
    heads = "".join(f'<th scope="col"{" data-nosort" if i in nosort else ""}'
                    f'{" class=num" if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    cap = f"<caption class=sub>{esc(caption)}</caption>" if caption else ""
    # in a box of its own that scrolls sideways (focusable, so a keyboard can scroll it): a wide
    # table never makes the whole page pan on a phone
    return (f'<div class="wide" tabindex="0"><table class="sortable{" " + klass if klass else ""}">{cap}<thead><tr>{heads}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


_CELL = re.compile(r"<td\b|<table\b|</table>")


def labelled(row: str, headers: list[str], bare: set[int]) -> str:
    """``row`` (one ``<tr>``) with each of its own cells given its column's name (``data-label``),
    a phone's block layout shows it before the cell; a table inside a cell is left alone."""
    out, last, depth, column = [], 0, 0, 0
    for m in _CELL.finditer(row):
        tag = m.group()
        if tag == "<table":
            depth += 1
        elif tag == "</table>":
            depth -= 1
        elif depth == 0:
            if column < len(headers) and column not in bare:
                out.append(row[last:m.end()] + f' data-label="{esc(headers[column])}"')
                last = m.end()
            column += 1
    return "".join(out) + row[last:]


def card(label: str, value: str, delta: str = "") -> str:
    return f'<div class="card"><div class="v">{value}</div><div class="k">{esc(label)}</div>{delta}</div>'


def delta(current, previous, *, good_when_up: bool = False, as_points: bool = False) -> str:
    if current is None or previous is None:
        return '<div class="delta">no comparison</div>'
    if as_points:
        change = (current - previous) * 100
        text = f"{change:+.1f} pts vs previous"
    else:
        if not previous:
            return '<div class="delta">new this period</div>'
        change = (current - previous) / previous
        text = f"{change:+.0%} vs previous"
    direction = "up" if change > 0 else "down" if change < 0 else ""
    good = " good" if good_when_up else ""
    return f'<div class="delta {direction}{good}">{esc(text)}</div>'


def comments(row: dict) -> str:
    out = []
    for c in row.get("comments", [])[:3]:
        if c["scale"] == "helpful":
            verdict, cls = ("No", "worse") if c["value"] == 0 else ("Yes", "fixed")
        else:
            verdict, cls = f"{c['value']} ({c['scale']})", "kind"
        reason = f' <span class="sub">{esc(c["reason"])}</span>' if c.get("reason") else ""
        times = f' <span class="sub">×{c["times"]}</span>' if c.get("times", 1) > 1 else ""  # customers who wrote it
        out.append(f'<blockquote><span class="badge {cls}">{esc(verdict)}</span>{reason} {esc(c["comment"])}{times}</blockquote>')
    return "".join(out)


def share(value) -> str:
    return pct(value)
