"""The widget tests' kit: ``wait_for``, and the sites they run on: the repository's demo
help centre, and a small MkDocs + Material site of the widget's own that places it in every style (a hooks file
calls feedback_form) with an FAQ page of two widgets and a search page marked up the way
the site's search boxes should be."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from web_testkit import REPO

THEME = REPO / "theme"


def wait_for(predicate, timeout=30.0, interval=0.05):
    """Poll ``predicate`` until it gives a true value (returned) or ``timeout`` passes (its last value).
    The timeout bounds a failure only (every caller waits for something to arrive): a loaded
    2-core machine once failed the contact-event test's 10 s wait (its cause is not known)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()

ITEMS = {
    "article:billing/refunds": ("article", "Refunds", "billing/refunds/"),
    "article:account/reset-password": ("article", "Reset your password", "account/reset-password/"),
    "faq:billing#can-i-get-a-refund": ("faq", "Can I get a refund?", "faq/billing/#can-i-get-a-refund"),
    "faq:billing#where-is-my-invoice": ("faq", "Where is my invoice?", "faq/billing/#where-is-my-invoice"),
    "article:ratings/csat": ("article", "Satisfaction", "ratings/csat/"),
    "article:ratings/ces": ("article", "Effort", "ratings/ces/"),
}

PAGES = {
    "index.md": "# Help centre\n\nSearch for refunds, invoices or passwords.\n",
    "billing/refunds.md": (
        "---\nitem: article:billing/refunds\nrevision: rev-1\n---\n# Refunds\n\n"
        "You can ask for a refund of a subscription payment within 30 days. Refunds go back "
        "to the card you paid with.\n"),
    "account/reset-password.md": (
        "---\nitem: article:account/reset-password\nrevision: rev-9\n---\n# Reset your password\n\n"
        "Open the sign-in page and choose *Forgot password*. A refund is not needed.\n"),
    "faq/billing.md": (
        "# Billing FAQ\n\n## Can I get a refund?\n\nYes, within 30 days.\n\n"
        "[[widget faq:billing#can-i-get-a-refund]]\n\n"
        "## Where is my invoice?\n\nUnder *Account → Invoices*.\n\n"
        "[[widget faq:billing#where-is-my-invoice]]\n"),
    "ratings/csat.md": "---\nitem: article:ratings/csat\nstyle: csat\n---\n# Satisfaction\n\nA page rated 1–5.\n",
    # a search page as the site's boxes should mark it up: data-carebase-search on the input,
    # data-carebase-results / -query / -total on the results, data-carebase-item on the links
    "find.md": (
        "# Find\n\n<div class=\"find\">\n<label for=\"find-q\">Search</label>\n"
        "<input id=\"find-q\" type=\"search\" data-carebase-search=\"search-page\">\n"
        "<ol data-carebase-results=\"search-page\"></ol>\n</div>\n\n"
        "<script src=\"../find.js\"></script>\n"),
    "ratings/ces.md": "---\nitem: article:ratings/ces\nstyle: ces\n---\n# Effort\n\nA page rated 1–7.\n",
}

HOOKS = '''
import re
from carebase.widget.markup import feedback_form
from carebase.widget.settings import check_feedback_settings

def _settings(config, style=None):
    raw = dict(config["extra"]["carebase_feedback"])
    if style:
        raw["style"] = style
    settings, problems = check_feedback_settings(raw)
    assert not problems, problems
    return settings

def on_page_context(context, page, config, nav):
    item = page.meta.get("item")
    if item:
        context["carebase_feedback"] = feedback_form(
            item, str(page.meta.get("revision", "")), page.title,
            _settings(config, page.meta.get("style")), return_to=page.canonical_url)
    return context

def on_page_content(html, page, config, files):
    def widget(match):
        item = match.group(1)
        title = item.split("#")[1].replace("-", " ")
        return feedback_form(item, "faq-rev", title, _settings(config),
                             heading="Was this answer helpful?", return_to=page.canonical_url)
    return re.sub(r"<p>\\[\\[widget ([^\\]]+)\\]\\]</p>", widget, html)
'''

FIND_JS = """(function () {
  var docs = [["article:billing/refunds", "Refunds", "../billing/refunds/"],
              ["faq:billing#can-i-get-a-refund", "Can I get a refund?", "../faq/billing/#can-i-get-a-refund"],
              ["article:account/reset-password", "Reset your password", "../account/reset-password/"]];
  var q = document.getElementById("find-q"), list = document.querySelector("[data-carebase-results]");
  function render() {
    var v = q.value.trim().toLowerCase();
    var hits = docs.filter(function (d) { return v && d[1].toLowerCase().indexOf(v) >= 0; });
    list.innerHTML = hits.map(function (d, i) {
      return '<li><a data-carebase-item="' + d[0] + '" data-carebase-rank="' + (i + 1) + '" href="' + d[2] + '">' + d[1] + '</a></li>';
    }).join("");
    list.setAttribute("data-carebase-query", q.value.trim());
    list.setAttribute("data-carebase-total", String(hits.length));
  }
  q.addEventListener("input", function () { setTimeout(render, 50); });
  var start = new URLSearchParams(location.search).get("q");
  if (start) { q.value = start; setTimeout(render, 300); }
})();
"""

MAIN_HTML = """{% extends "base.html" %}
{% block extrahead %}{{ super() }}{% include "partials/carebase/assets.html" %}{% endblock %}
{% block content %}{{ super() }}{% include "partials/carebase/feedback.html" %}{% endblock %}
"""


def build(config: dict, root: Path) -> None:
    (root / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, env=env, cwd=root)
    assert done.returncode == 0, done.stderr


def mini_items() -> dict:
    """The manifest items of the widget's small site (``build_mini_site``)."""
    return {item: {"kind": kind, "title": title, "url": url, "path": "x", "revision": "r", "category": "c"}
            for item, (kind, title, url) in ITEMS.items()}


def build_mini_site(root: Path, site_url: str, service_url: str) -> dict:
    """A small MkDocs + Material site served at ``site_url`` and sending to the service at
    ``service_url``, that places the widget in every style through the theme partials (a
    hooks file calls feedback_form), into ``root/site``; returns its manifest items."""
    site_dir = root / "site"
    docs = root / "docs"
    for name, text in PAGES.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    items = mini_items()
    (docs / "find.js").write_text(FIND_JS, encoding="utf-8")
    (docs / "manifest.json").write_text(json.dumps({"version": 1, "aliases": {}, "items": items}), encoding="utf-8")
    overrides = root / "overrides"
    shutil.copytree(THEME / "partials" / "carebase", overrides / "partials" / "carebase")
    shutil.copytree(THEME / "assets" / "carebase", overrides / "assets" / "carebase")
    (overrides / "main.html").write_text(MAIN_HTML, encoding="utf-8")
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    build({
        "site_name": "Widget test help centre", "site_url": site_url,
        "docs_dir": str(docs), "site_dir": str(site_dir),
        "theme": {"name": "material", "custom_dir": str(overrides), "font": False,
                  "palette": [
                      {"media": "(prefers-color-scheme: light)", "scheme": "default",
                       "toggle": {"icon": "material/brightness-7", "name": "Dark mode"}},
                      {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
                       "toggle": {"icon": "material/brightness-4", "name": "Light mode"}}]},
        "plugins": ["search"], "hooks": [str(root / "hooks.py")],
        "extra": {
            "carebase": {"service": service_url, "scale": "helpful"},
            "carebase_feedback": {"service_url": service_url, "contact": {
                "email": "help@example.com", "phone": "+1 555 0100", "chat_url": "https://chat.example.com",
                "hours": "Mon–Fri 9:00–17:00"}},
        },
    }, root)
    return items
