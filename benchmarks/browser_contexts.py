"""CPU of Chromium for page loads in a fresh browser context each vs one reused page.

    python benchmarks/browser_contexts.py SITE_DIR fresh|reuse|none

Serves SITE_DIR (a built site, e.g. benchmarks/site_scale.py's) on 127.0.0.1 and loads 20 of
its pages in Debian's Chromium with the tests' flags, either each in a new context (what a test
with ``new_page`` costs) or all in one page (``reading_page`` in tests/quality). Measure the
whole process tree from outside, interleaving the modes: Chromium is reaped when it closes,
so ``/usr/bin/time -f "%U %S" python benchmarks/browser_contexts.py SITE fresh`` counts it all
(``none`` starts and closes the browser only).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from web_testkit import CHROMIUM, CHROMIUM_ARGS, StaticServer  # noqa: E402


def main(site: Path, mode: str) -> None:
    from playwright.sync_api import sync_playwright

    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))[:5]
    server = StaticServer(site)
    urls = [server.url + ("" if p == "." else p + "/") for p in pages] * 4
    options = {"viewport": {"width": 1280, "height": 900}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if mode == "reuse":
                context = browser.new_context(**options)
                page = context.new_page()
                for url in urls:
                    page.goto(url, wait_until="load")
                context.close()
            elif mode == "fresh":
                for url in urls:
                    context = browser.new_context(**options)
                    context.new_page().goto(url, wait_until="load")
                    context.close()
            elif mode != "none":
                raise SystemExit(f"browser_contexts.py: mode must be fresh, reuse or none, found {mode!r}")
            browser.close()
    finally:
        server.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2])
