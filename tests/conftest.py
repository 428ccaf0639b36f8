"""Fixtures shared by every test folder.

One headless Chromium for the whole run: Playwright's sync API runs an event loop in the
main thread, so two ``sync_playwright()`` instances alive at once (one folder's session
browser, another folder's own) fail with "using Playwright Sync API inside the asyncio
loop". Every folder's browser fixture hands out this one.
"""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def shared_chromium():
    """The session's headless Chromium (Debian's, driven by Playwright); skips when missing."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (bash tests/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
