"""Screenshots of every page type of the demo, at 390 px and 1,280 px wide, light and dark.

Builds the demo (mkdocs.yml, content/) with the real carebase service for its search and
contact form, serves it on 127.0.0.1, and saves full-page screenshots of the home, category,
article, FAQ (an answer open), video, videos gallery, search (with results and the weaker
matches open), header suggestions, contact form and 404 pages, the German home and article, and the home page's Ask box with an answer, to benchmarks/out/screenshots/
(benchmarks/RESULTS.md, "Web quality", compares them with public help centres).

    .venv/bin/python benchmarks/screenshots.py [--out DIR] [--widths 390 1280]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

PAGES = {
    "home": "", "category": "billing/", "article": "billing/refunds/", "faq": "faq/billing/",
    "video": "videos/setup-basics/", "videos": "videos/", "search": "search/?q=thermostat+offline",
    # a snippet made from a table (the refunds article's): its rows read as sentences
    "search-table": "search/?q=annual+plan+cancelled",
    "suggestions": "troubleshooting/thermostat-offline/", "contact": "contact/", "404": "no-such-page/",
    # the German pages: carebase's own texts in German (carebase.strings)
    "home-de": "de/", "article-de": "de/billing/refunds/",
    # the home page's Ask box: a question typed, its answer in the room kept for it
    "ask": "",
}


def prepare(page, kind: str) -> None:
    """What a customer does on the page before it is shot."""
    if kind == "faq":
        page.locator("details.cb-faq summary").first.click()
    elif kind == "search-table":
        page.wait_for_function("() => document.querySelector('.cb-search-results').dataset.cbEngine === 'api'")
    elif kind == "search":
        page.wait_for_function("() => document.querySelector('.cb-search-results').dataset.cbEngine === 'api'")
        page.locator(".cb-results__weaker").click()
        page.evaluate("window.scrollTo(0, 0)")  # the sticky header is shot where the page is scrolled
    elif kind == "article-de":  # the widget's "No" step, in German
        page.locator(".cb-feedback").first.get_by_role("button", name="Nein", exact=True).click()
        page.locator(".cb-feedback__reasons").first.wait_for()
    elif kind == "ask":
        page.locator("#cb-q").click()
        page.keyboard.type("how do I get a refund", delay=40)
        page.wait_for_function("() => ['shown', 'none'].includes(document.querySelector('form[data-carebase-search=home]').dataset.cbAskState)")
        page.keyboard.press("Tab")  # the suggestions close, the answer stays
    elif kind == "suggestions":
        toggle = page.locator(".cb-header-search__toggle")
        if toggle.is_visible():
            toggle.click()
        page.locator("#cb-header-q").click()
        page.keyboard.type("refnd", delay=40)
        page.locator("[role=option][data-carebase-item]").first.wait_for()
        page.wait_for_timeout(600)
        page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "out" / "screenshots"))
    ap.add_argument("--widths", nargs="+", type=int, default=[390, 1280])
    ap.add_argument("--pages", nargs="+", choices=sorted(PAGES), help="only these pages")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from web_testkit import CHROMIUM, CHROMIUM_ARGS, DemoStack

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stack = DemoStack(Path(tempfile.mkdtemp(prefix="carebase-shots-")))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width in args.widths:
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    for kind, path in PAGES.items():
                        if args.pages and kind not in args.pages:
                            continue
                        page = context.new_page()
                        page.goto(stack.url + path, wait_until="load")
                        prepare(page, kind)
                        full = kind != "suggestions"
                        page.screenshot(path=str(out / f"{kind}-{width}-{scheme}.png"), full_page=full)
                        page.close()
                    context.close()
            browser.close()
    finally:
        stack.close()
    print(f"{len(args.pages or PAGES) * len(args.widths) * 2} screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
