"""The preview banner (carebase/cli/preview_problems.js) in Chromium against the preview server
(carebase.cli._watching.Server on 127.0.0.1; the builder a function that logs a content problem
as the plugin does): the board is answered again every BOARD_WAIT seconds with nothing new, and
after every build. Reader 46: each answer replaced the banner with a new role="alert" (a screen
reader announced every problem again every 25 s: R4), and "Hide" lasted until the next save, not
until the problems changed (R5)."""

from __future__ import annotations

import threading

import pytest

from carebase.cli._preview_board import Board
from carebase.content.problems import error
from web_testkit import page_factory

pytestmark = pytest.mark.browser

BOX = "#carebase-preview-problems .box"


@pytest.fixture
def server(tmp_path, monkeypatch):
    import carebase.cli._watching as watching

    monkeypatch.setattr(watching, "BOARD_WAIT", 0.3)  # the timed answer, every 0.3 s instead of 25
    (tmp_path / "index.html").write_text("<!doctype html><html lang='en'><title>t</title><body><p>last site</p>"
                                         "</body></html>", encoding="utf-8")
    box = {"step": lambda: None}
    board = Board().install()
    server = watching.Server(builder=lambda: box["step"](), host="127.0.0.1", port=0, root=str(tmp_path),
                             board=board)
    server.step = lambda fn: box.__setitem__("step", fn)
    server.watch(str(tmp_path))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    while not server.serve_thread.is_alive():
        thread.join(0.01)
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    thread.join(10)
    board.uninstall()


def _build_with(server, tmp_path, *problems) -> None:
    """One build that logs ``problems`` as the plugin does (its page is not reloaded: same epoch)."""
    from carebase.plugins.site.adapters import report

    server.step(lambda: report(list(problems), root=tmp_path))
    server.builder()


def test_the_same_problems_are_not_drawn_again_and_hide_lasts_until_they_change(server, tmp_path, shared_chromium):
    first = error("faq/billing.yml", 4, "title", "expected text, found nothing")
    _build_with(server, tmp_path, first)
    with page_factory(shared_chromium) as make:
        page = make(viewport={"width": 1280, "height": 800})
        page.goto(server.url + "/", wait_until="load")
        page.wait_for_selector(BOX)
        page.locator(BOX).evaluate("box => { box.dataset.first = 'yes'; }")
        _build_with(server, tmp_path, first)  # a save elsewhere: the same problem
        page.wait_for_timeout(2000)  # several timed answers (0.3 s) and a build's
        assert page.locator(BOX).get_attribute("data-first") == "yes"  # the same alert, not a new one
        assert page.locator(BOX).get_attribute("role") == "alert"

        page.locator(f"{BOX} button", has_text="Hide").click()
        assert page.locator(BOX).count() == 0
        _build_with(server, tmp_path, first)  # the same problems: still hidden
        page.wait_for_timeout(1500)
        assert page.locator(BOX).count() == 0
        _build_with(server, tmp_path, first, error("videos/tour.yml", 2, "title", "expected text, found nothing"))
        page.wait_for_selector(BOX)  # they changed: shown again
        assert "2 errors" in page.locator(BOX).inner_text()
