"""No paint of a half-read page, in headless Chromium: the article page is sent in two parts,
0.7 s apart (the HTML up to its article, then the rest), as a slow network or a parser that
yields on a loaded machine delivers it. Chromium paints what it has when it can; the page
must not show its header and "In this category" list before the article and then move them
(on a phone the list goes under the article: a layout shift of 0.24 before the theme's
`<link rel=expect blocking=render>`, the header's search box 48 px aside). One page, one
phone-sized view: about 2 s."""

from __future__ import annotations

import functools
import http.server
import threading
import time

import pytest

from quality_testkit import PAGES
from web_testkit import layout_shifts

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAUSE = 0.7
CUT = b'<div class="md-content'  # the article's column: everything before it is header and list


class Halting(http.server.SimpleHTTPRequestHandler):
    """The built site, each page's HTML sent in two writes with a pause before its article."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.translate_path(self.path.split("?")[0])
        if not self.path.split("?")[0].endswith("/"):
            return super().do_GET()
        with open(path + "/index.html", "rb") as f:
            body = f.read()
        cut = body.find(CUT)
        assert cut > 0, f"{self.path}: no {CUT!r} in the page"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:cut])
        self.wfile.flush()
        time.sleep(PAUSE)
        self.wfile.write(body[cut:])


@pytest.fixture(scope="module")
def halting(stack):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Halting, directory=str(stack.site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_article_is_not_painted_before_its_text_arrives(halting, new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(halting + PAGES["article"], wait_until="load")
    page.locator("article h1").first.wait_for()
    shifts = layout_shifts(page)
    assert sum(v for v, _ in shifts) < 0.005, f"the article page moved after its first paint: {shifts}"
