"""The browser tests' contexts are reused (tests/web_testkit.py ``ContextPool``): a context a
test leaves is reset and handed to a later test with the same options. Here one "test" (one
``page_factory`` block, as a fixture's) leaves every kind of state a help centre stores, and the
next block, handed the same context and page, finds none of it: what a first-time customer's
browser holds. The viewport and media features (colour scheme, reduced motion) are set on the
pool's page, not its context: a page handed out with them shows what a fresh context given them
shows, its second page too, and after a test that changed them (forced colours, more contrast)
the next finds its own or, given none, a fresh context's defaults. A context that made a call
no reset undoes is closed, never handed out again."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from web_testkit import (DIRTY_CONTEXT_CALLS, DIRTY_PAGE_CALLS, DIRTY_PROPERTIES, POLL, ContextPool, SiteHandler,
                         page_factory, stop_serving)

pytestmark = [pytest.mark.browser]

PAGE = b"""<!doctype html><html lang="en"><head><title>pool</title>
<link rel="stylesheet" href="/cached.css"></head><body><p id="css">styled</p></body></html>"""
WORKER = b"self.addEventListener('fetch', () => {});"
#: a viewport and media features the pool sets on its page (web_testkit.PAGE_OPTIONS), not on the context
OPTIONS = {"viewport": {"width": 411, "height": 333}, "color_scheme": "dark", "reduced_motion": "reduce"}
#: the options of no other test: the context handed out in the second block can only be the first's
CONTEXT = {"locale": "en-ZA"}

LEAVE_STATE = """async () => {
  localStorage.setItem("carebase.votes", JSON.stringify({"article:refunds": "up"}));
  localStorage.setItem("/.__palette", JSON.stringify({index: 1, color: {scheme: "slate"}}));
  sessionStorage.setItem("carebase.outbox", "[1]");
  document.cookie = "seen=1; max-age=3600; path=/";
  await new Promise((resolve, reject) => {
    const open = indexedDB.open("carebase", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("events");
    open.onsuccess = () => {
      const tx = open.result.transaction("events", "readwrite");
      tx.objectStore("events").put("vote", 1);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  });
  await (await caches.open("carebase")).put("/cached-by-script", new Response("x"));
  await navigator.serviceWorker.register("/sw.js");
  await navigator.serviceWorker.ready;
  history.pushState({}, "", "#two");
  window.name = "left-behind";
}"""

READ_STATE = """async () => ({
  local: Object.keys(localStorage),
  session: Object.keys(sessionStorage),
  cookie: document.cookie,
  databases: (await indexedDB.databases()).map((d) => d.name),
  caches: await caches.keys(),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
  controlled: !!navigator.serviceWorker.controller,
  history: history.length,
  name: window.name,
  online: navigator.onLine,
  view: [innerWidth, innerHeight, screen.width, screen.height, devicePixelRatio],
  media: ["(prefers-color-scheme: dark)", "(prefers-color-scheme: light)", "(prefers-reduced-motion: reduce)",
          "(forced-colors: active)", "(prefers-contrast: more)", "print"].filter((q) => matchMedia(q).matches),
})"""


class _Counting(SiteHandler):
    """The test origin: the page, its service worker, and a stylesheet a browser may cache for
    an hour (each fetch of it counted, to tell a cold load from a cached one)."""

    hits: dict

    def do_GET(self):
        path = self.path.split("?")[0]
        self.hits[path] = self.hits.get(path, 0) + 1
        body, ctype = {"/": (PAGE, "text/html"), "/sw.js": (WORKER, "text/javascript"),
                       "/cached.css": (b"#css{color:#123}", "text/css")}.get(path, (b"", "text/plain"))
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=3600")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    hits: dict = {}
    handler = functools.partial(type("Handler", (_Counting,), {"hits": hits}),
                                directory=str(tmp_path_factory.mktemp("pool")))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, args=(POLL,), daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", hits
    stop_serving(httpd)
    httpd.server_close()


def test_a_reused_context_holds_nothing_the_last_test_stored(shared_chromium, origin):
    url, hits = origin
    with page_factory(shared_chromium) as make:  # fresh contexts' pages: what a first visit holds
        page = make(fresh=True, **CONTEXT, **OPTIONS)
        page.goto(url)
        first_visit = page.evaluate(READ_STATE)
        plain = make(fresh=True, **CONTEXT)  # and with Playwright's default viewport and media
        plain.goto(url)
        plain_visit = plain.evaluate(READ_STATE)
    assert first_visit["local"] == [] and first_visit["workers"] == 0, first_visit
    assert first_visit["view"][:2] == [411, 333] and "(prefers-color-scheme: dark)" in first_visit["media"], first_visit
    assert plain_visit["view"] != first_visit["view"] and plain_visit["media"] != first_visit["media"], plain_visit

    with page_factory(shared_chromium) as make:  # a test that leaves everything behind
        page = make(**CONTEXT, **OPTIONS)
        left_context, left_page = page.context, page
        seen = []
        page.on("request", lambda r: seen.append(r.url))
        page.route("**/cached.css", lambda route: route.fulfill(body="#css{color:#f00}", content_type="text/css"))
        page.goto(url)
        at_start = page.evaluate(READ_STATE)  # the viewport and media set on the page: a fresh context's
        assert (at_start["view"], at_start["media"]) == (first_visit["view"], first_visit["media"]), at_start
        page.evaluate(LEAVE_STATE)
        page.reload()  # the worker now controls the page
        left = page.evaluate(READ_STATE)
        assert left["local"] and left["session"] and left["cookie"] and left["databases"] == ["carebase"], left
        assert left["caches"] == ["carebase"] and left["workers"] == 1 and left["controlled"], left
        popup = page.context.new_page()  # a second page of the context (a popup), sized as the first
        popup.goto(url + "?popup")
        assert popup.evaluate(READ_STATE)["view"] == first_visit["view"]
        page.set_viewport_size({"width": 500, "height": 400})  # the test's own viewport and media
        page.emulate_media(color_scheme="light", reduced_motion="no-preference", forced_colors="active",
                           contrast="more", media="print")
        page.goto(url)  # the stylesheet is in the HTTP cache now (max-age: an hour)
        page.context.set_offline(True)  # and the context left offline
    requests_left = len(seen)

    css_hits = hits.get("/cached.css", 0)
    with page_factory(shared_chromium) as make:  # the next test, with the same options
        page = make(**CONTEXT, **OPTIONS)
        assert page is left_page and page.context is left_context, f"not handed out again: {ContextPool.of(shared_chromium).closed_why}"
        assert page.url == "about:blank" and page.context.pages == [page], (page.url, page.context.pages)
        assert page.context.cookies() == []
        page.goto(url)
        now = page.evaluate(READ_STATE)
        colour = page.eval_on_selector("#css", "e => getComputedStyle(e).color")
    assert now == first_visit, f"state left by the last test: {now} (a first visit: {first_visit})"
    assert len(seen) == requests_left, "the last test's listener still ran"
    assert colour == "rgb(17, 34, 51)", "the last test's route still answered"
    assert hits.get("/cached.css", 0) == css_hits + 1, "the stylesheet came from the last test's HTTP cache"

    with page_factory(shared_chromium) as make:  # a test without them: the defaults, not the last test's
        page = make(**CONTEXT)
        assert page is left_page, f"not handed out again: {ContextPool.of(shared_chromium).closed_why}"
        page.goto(url)
        now = page.evaluate(READ_STATE)
    assert (now["view"], now["media"]) == (plain_visit["view"], plain_visit["media"]), now


def _add_init_script_via_page_context(page):
    page.context.add_init_script("window.planted = 1")


def _fake_clock(page):
    page.clock.install()


def test_every_call_a_reset_cannot_undo_marks_the_context(shared_chromium):
    """The calls of web_testkit's lists are noted by the pooled page and context classes (the
    two tests below follow two of them, by a method and by a property, through a whole cycle)."""
    with page_factory(shared_chromium) as make:
        page = make(**OPTIONS)
    context_class, page_class = type(page.context), type(page)
    for cls, names in ((context_class, DIRTY_CONTEXT_CALLS + DIRTY_PROPERTIES), (page_class, DIRTY_PAGE_CALLS + DIRTY_PROPERTIES)):
        base = cls.__mro__[1]
        missing = [n for n in names if hasattr(base, n) and cls.__dict__.get(n) is None]
        assert not missing, f"{cls.__name__} does not note {missing}"


@pytest.mark.parametrize("leave", [_add_init_script_via_page_context, _fake_clock])
def test_a_context_a_reset_cannot_clean_is_closed_never_handed_out_again(shared_chromium, leave):
    options = {"viewport": {"width": 412, "height": 334}}
    with page_factory(shared_chromium) as make:
        page = make(**options)
        leave(page)
        dirty = page.context
    assert dirty.is_closed()
    pool = ContextPool.of(shared_chromium)
    assert all(ctx is not dirty for idle in pool.idle.values() for ctx in idle)
    with page_factory(shared_chromium) as make:
        assert make(**options).context is not dirty
