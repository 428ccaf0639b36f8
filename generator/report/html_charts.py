"""Inline SVG charts for the HTML report (no library, no external request).

Every text that reaches SVG goes through ``esc``; numbers are formatted here."""

from __future__ import annotations

from html import escape

from carebase.store.cleaning import clean_text

PURPLE = "#7c3aed"
GOOD, BAD, WARN, INK, MUTED, GRID, ACCENT = "#1a7f5a", "#c2410c", "#b45309", "#1f2937", "#6b7280", "#e5e7eb", "#2563eb"


def esc(value) -> str:
    """HTML-escaped text; escapes, controls and bidi overrides (in events stored before ingest
    cleaned them) are removed first, so nothing reorders or hides what the report shows."""
    text = "" if value is None else str(value)
    if not (text.isascii() and text.isprintable()):
        text = clean_text(text, multiline=True) or ""
    return escape(text, quote=True)


def pct(value, digits: int = 0) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def interval_bar(rate, low: float, high: float, baseline: float, *, width: int = 140) -> str:
    """A one-line forest plot: the 95 % interval, the point estimate, the baseline tick."""
    def x(v: float) -> float:
        return 4 + v * (width - 8)
    label = f"unhelpful {pct(rate)} (95% interval {pct(low)}–{pct(high)}; typical page {pct(baseline)})"
    point = "" if rate is None else f'<circle cx="{x(rate):.1f}" cy="9" r="3.5" fill="{BAD}"/>'
    return (f'<svg class="spark" width="{width}" height="18" viewBox="0 0 {width} 18" role="img" aria-label="{esc(label)}">'
            f'<title>{esc(label)}</title><line x1="4" y1="9" x2="{width - 4}" y2="9" stroke="{GRID}" stroke-width="2"/>'
            f'<line x1="{x(baseline):.1f}" y1="2" x2="{x(baseline):.1f}" y2="16" stroke="{MUTED}" stroke-dasharray="2 2"/>'
            f'<rect x="{x(low):.1f}" y="5" width="{max(1.5, x(high) - x(low)):.1f}" height="8" rx="4" fill="{BAD}" opacity=".25"/>'
            f'{point}</svg>')


def hbar(value: float, maximum: float, *, width: int = 120, colour: str = ACCENT, label: str = "") -> str:
    share = 0 if not maximum else max(0.0, min(1.0, value / maximum))
    return (f'<svg class="spark" width="{width}" height="14" viewBox="0 0 {width} 14" role="img" aria-label="{esc(label)}">'
            f'<title>{esc(label)}</title><rect x="0" y="3" width="{width}" height="8" rx="4" fill="{GRID}"/>'
            f'<rect x="0" y="3" width="{max(2.0, share * width):.1f}" height="8" rx="4" fill="{colour}"/></svg>')


def dumbbell(before, after, *, width: int = 160) -> str:
    """Unhelpful rate before → after an edit."""
    if before is None or after is None:
        return ""
    def x(v: float) -> float:
        return 6 + v * (width - 12)
    colour = GOOD if after < before else BAD
    label = f"unhelpful {pct(before)} before, {pct(after)} after"
    return (f'<svg class="spark" width="{width}" height="18" viewBox="0 0 {width} 18" role="img" aria-label="{esc(label)}">'
            f'<title>{esc(label)}</title><line x1="6" y1="9" x2="{width - 6}" y2="9" stroke="{GRID}" stroke-width="2"/>'
            f'<line x1="{x(before):.1f}" y1="9" x2="{x(after):.1f}" y2="9" stroke="{colour}" stroke-width="3"/>'
            f'<circle cx="{x(before):.1f}" cy="9" r="4" fill="#fff" stroke="{MUTED}" stroke-width="2"/>'
            f'<circle cx="{x(after):.1f}" cy="9" r="4.5" fill="{colour}"/></svg>')


def axis(peak: int, most: int = 4) -> tuple[int, list[int]]:
    """A count axis over 0..``peak``: its top and its marks, round numbers a reader can use
    (1, 2 or 5 times a power of ten apart, at most ``most`` steps: 5,002 → 0, 2,000, 4,000, 6,000,
    not the half of 5,002, "2501"); the top is the last mark, at or above ``peak``."""
    peak, scale = max(1, int(peak)), 1
    while True:
        for unit in (1, 2, 5):
            step = unit * scale
            if -(-peak // step) <= most:
                top = -(-peak // step) * step
                return top, list(range(0, top + 1, step))
        scale *= 10


def daily_chart(days: list[dict], *, width: int = 720, height: int = 180) -> str:
    """Searches per day (area) with the zero-result ones (red) and unhelpful votes (line)."""
    if not days:
        return ""
    top, marks = axis(max(max(d["search"] for d in days), max(d["vote"] for d in days), 1))
    left, bottom, plot_h = 40, height - 24, height - 40
    step = (width - left - 10) / max(1, len(days) - 1)

    def pts(key: str) -> list[tuple[float, float]]:
        return [(left + i * step, bottom - d[key] / top * plot_h) for i, d in enumerate(days)]

    def path(points) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)

    search = pts("search")
    area = f"{left},{bottom} " + path(search) + f" {left + (len(days) - 1) * step:.1f},{bottom}"
    grid = "".join(
        f'<line x1="{left}" x2="{width - 10}" y1="{bottom - v / top * plot_h:.1f}" y2="{bottom - v / top * plot_h:.1f}" '
        f'stroke="{GRID}"/><text x="{left - 6}" y="{bottom - v / top * plot_h + 4:.1f}" text-anchor="end">{v:,}</text>'
        for v in marks)
    ticks = "".join(f'<text x="{left + i * step:.1f}" y="{height - 6}" text-anchor="middle">{esc(d["day"][5:])}</text>'
                    for i, d in enumerate(days) if i % 7 == 0)
    title = f"{sum(d['search'] for d in days)} searches, {sum(d['zero'] for d in days)} with no result"
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">'
            f'<title>{esc(title)}</title>{grid}{ticks}'
            f'<polygon points="{area}" fill="{ACCENT}" opacity=".15"/>'
            f'<polyline points="{path(search)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
            f'<polyline points="{path(pts("zero"))}" fill="none" stroke="{BAD}" stroke-width="2"/>'
            f'<polyline points="{path(pts("unhelpful"))}" fill="none" stroke="{PURPLE}" stroke-width="2" stroke-dasharray="4 3"/>'
            f'</svg>')


def weekly_share_chart(weeks: list[dict], key: str, label: str, *, colour: str = GOOD, width: int = 480,
                       height: int = 150) -> str:
    """A column per week ("from" the week's first day) of a share (0–1, ``key``; None: no column),
    its value written over it, the week under it; ``label`` names it for screen readers."""
    if not weeks:
        return ""
    top = max([w[key] or 0 for w in weeks] + [0.05])
    left, bottom, plot_h = 8, height - 22, height - 46
    step = (width - 2 * left) / len(weeks)
    bars, said = [], []
    for i, w in enumerate(weeks):
        x, share = left + i * step, w[key]
        said.append(f"week of {w['from']}: {pct(share)}")
        if share is not None:
            h = max(1.0, share / top * plot_h)
            bars.append(f'<rect x="{x + step * .2:.1f}" y="{bottom - h:.1f}" width="{step * .6:.1f}" height="{h:.1f}" '
                        f'rx="3" fill="{colour}"/><text x="{x + step / 2:.1f}" y="{bottom - h - 5:.1f}" '
                        f'text-anchor="middle">{esc(pct(share))}</text>')
        bars.append(f'<text x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle">{esc(w["from"][5:])}</text>')
    title = f"{label}: " + "; ".join(said)
    return (f'<svg class="chart weekly" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">'
            f'<title>{esc(title)}</title><line x1="{left}" x2="{width - left}" y1="{bottom}" y2="{bottom}" '
            f'stroke="{GRID}"/>{"".join(bars)}</svg>')


def stacked(parts: list[tuple[str, float, str]], *, width: int = 560, label: str = "") -> str:
    """A 100 % stacked bar: (name, share, colour)."""
    x, out = 0.0, []
    for name, share, colour in parts:
        w = max(0.0, share or 0) * width
        text = f"{name}: {pct(share)}"
        out.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="26" fill="{colour}"><title>{esc(text)}</title></rect>')
        if w > 44:
            out.append(f'<text x="{x + w / 2:.1f}" y="17" text-anchor="middle" fill="#fff">{esc(pct(share))}</text>')
        x += w
    return (f'<svg class="chart stack" viewBox="0 0 {width} 26" role="img" aria-label="{esc(label)}">'
            f'<title>{esc(label)}</title>{"".join(out)}</svg>')
