"""The self-contained HTML report: inline CSS and SVG, a small progressive script for
sortable tables, a strict Content-Security-Policy, no external request. Every string
that comes from content or customers is escaped (``esc``)."""

from __future__ import annotations

import base64
import hashlib

from carebase.report import html_assistants, html_languages
from carebase.report import html_sections as sections
from carebase.report.html_assets import CSS, JS
from carebase.report.html_charts import esc


def render_html(report: dict) -> str:
    script_hash = base64.b64encode(hashlib.sha256(JS.encode()).digest()).decode()
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'; "
           "base-uri 'none'; form-action 'none'")
    period, compare = report["period"], report["compare"]
    body = "".join([
        sections.overview(report), sections.backlog(report), sections.glance(report),
        sections.failing(report), sections.missing(report), html_assistants.section(report),
        sections.stale(report), sections.coverage(report), html_languages.section(report), sections.deflection(report),
    ])
    nav = "".join(f'<a href="#{key}">{label}</a>' for key, label in sections.NAV)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">
<meta name="referrer" content="no-referrer">
<title>Content-gap report · {esc(period['label'])}</title>
<style>{CSS}</style>
</head>
<body>
<header class="top">
<h1>Content-gap report</h1>
<p>{esc(period['label'])} · compared with {esc(compare['label'])}{_language(report)} · {report['summary']['votes']:,} votes,
{report['summary']['searches']:,} searches · generated {esc(report['generated'])}</p>
</header>
<nav class="toc" aria-label="Sections">{nav}</nav>
<main>
{body}
</main>
<footer>carebase report · events from {esc(report['source'])} · content from {esc(report['content_root'])} ·
failed searches replayed with {sections.replayed_how(report['replayed_with'])} · minimum {report['min_votes']} votes for a score</footer>
<script>{JS}</script>
</body>
</html>
"""


def _language(report: dict) -> str:
    """' · language de' for a report on one language of a multilingual help centre."""
    return f" · language {esc(report['lang'])}" if report.get("lang") else ""
