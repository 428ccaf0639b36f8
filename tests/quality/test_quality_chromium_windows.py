"""The suite's Chromium makes no browser UI for its windows (tests/web_testkit.py ``CHROMIUM_ARGS``):
headless Chromium made the address bar's popup ahead, as WebUI pages in a renderer of their own,
for every browser context (~0.45 s of CPU a context, and an idle process while the context
lives); and the suite's ``--disable-features`` switch, which replaces Playwright's own (Chromium
reads the last), still disables everything Playwright's did."""

from __future__ import annotations

import os
from pathlib import Path

from web_testkit import NO_ADDRESS_BAR_POPUP, page_factory


def _browser_processes() -> list[list[str]]:
    """The command lines of the Chromium browser processes below this process (Playwright's
    driver starts them; their helpers have a ``--type``)."""
    found, todo = [], [os.getpid()]
    while todo:
        pid = todo.pop()
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                todo.extend(int(x) for x in (task / "children").read_text().split())
            except OSError:
                continue
        if pid == os.getpid():
            continue
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "--remote-debugging-pipe" in argv and not any(a.startswith("--type=") for a in argv):
            found.append(argv)
    return found


def test_a_new_context_gets_no_address_bar_popup_renderer(shared_chromium):
    cdp = shared_chromium.new_browser_cdp_session()
    try:
        with page_factory(shared_chromium) as make:
            page = make(fresh=True)
            page.goto("data:text/html,<h1>A page</h1>")
            targets = cdp.send("Target.getTargets")["targetInfos"]
            ui = [t["url"] for t in targets if t["type"] != "page"
                  and t["url"].startswith("chrome://") and "top-chrome" in t["url"]]
            assert ui == [], f"the browser made its own UI pages for a test's window: {ui}"
            assert "data:text/html" in " ".join(t["url"] for t in targets if t["type"] == "page")
    finally:
        cdp.detach()


def test_the_suites_disabled_features_keep_every_one_playwright_disables(shared_chromium):
    browsers = _browser_processes()
    assert browsers, "no Chromium browser process found below this test process"
    for argv in browsers:
        lists = [a.split("=", 1)[1].split(",") for a in argv if a.startswith("--disable-features=")]
        assert len(lists) >= 2, f"expected Playwright's --disable-features and the suite's: {lists}"
        playwright, effective = set(lists[0]), set(lists[-1])  # Chromium reads the last one only
        missing = sorted(playwright - effective)
        assert not missing, (f"Playwright disables {missing}, which tests/web_testkit.py's "
                             "PLAYWRIGHT_DISABLED_FEATURES lacks: add them there")
        assert set(NO_ADDRESS_BAR_POPUP) <= effective
