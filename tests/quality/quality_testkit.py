"""The web-quality gates' own data: one page of every type of the demo. The stack they run
on (the demo built by a real ``mkdocs build --strict``, its HTTP server, the real service,
Chromium, axe-core) is every folder's: tests/web_testkit.py."""

from __future__ import annotations

from web_testkit import REPO, describe, run_axe  # noqa: F401  (the quality tests' names for them)

# One page of every type of the demo (site-relative URLs).
PAGES = {
    "home": "",
    "category": "billing/",
    # an article whose category has a short name: axe-core's link-in-text-block skips a link that is
    # most of its block ("In this category: Billing and Lumo Plus"), not "…: Troubleshooting"
    "article": "troubleshooting/thermostat-offline/",
    "faq": "faq/billing/",
    "video-hosted": "videos/setup-basics/",
    "video-self-hosted": "videos/reconnect-wifi/",
    "videos-gallery": "videos/",
    "search": "search/",
    "contact": "contact/",
    "404": "no-such-page/",
}
