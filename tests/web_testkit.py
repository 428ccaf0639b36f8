"""What the browser and site tests of every folder share: headless Chromium's path and flags,
free ports, a static host on 127.0.0.1 (byte ranges, the site's 404 page, string rewrites),
the real carebase service running in-process on a SQLite file, the demo help centre built by
a real ``mkdocs build --strict``, and a factory of fresh browser pages.

A uniquely named module (never ``from conftest import``): tests/ is on ``sys.path`` because
tests/conftest.py lives there, so every folder imports it as ``from web_testkit import …``."""

from __future__ import annotations

import contextlib
import copy
import functools
import http.server
import io
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Debian's chromium (the full browser in its headless mode: what the owners' quality bar names,
#: `executable_path=/usr/bin/chromium`, and the closest to the Chrome customers use).
#: $CAREBASE_CHROMIUM names another binary for a local run, e.g. Debian's
#: /usr/bin/chromium-headless-shell (the same Chromium build without the browser's UI layer:
#: 20 fresh contexts 4.5 s of CPU against 13.7 s, benchmarks/RESULTS.md "Test suite", session 26);
#: CI sets no $CAREBASE_CHROMIUM, so it tests with the full browser.
CHROMIUM = os.environ.get("CAREBASE_CHROMIUM") or "/usr/bin/chromium"
#: Each browser context of Chromium's headless mode (from Chromium ~150 on) gets a window with the
#: browser's address-bar popup made ahead as WebUI pages (chrome://omnibox-popup.top-chrome/ and its
#: AI-mode page, one ``--type=renderer --top-chrome-webui`` process), which no test and no headless
#: page ever shows: ~0.45 s of CPU a context on this machine (20 contexts 18.2 against 9.0 s of CPU,
#: every process reaped; benchmarks/RESULTS.md, session 47 `suite`), and the process stays idle until
#: its context closes (the 20+ idle renderers of a CI were the pooled and module-held contexts').
NO_ADDRESS_BAR_POPUP = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
#: Playwright's own ``--disable-features`` for Chromium (its chromiumSwitches, Playwright 1.65):
#: Chromium reads only the last ``--disable-features`` of its command line, so the suite's switch
#: repeats them; tests/quality/test_quality_chromium_windows.py fails, naming them, when the
#: installed Playwright disables one that is missing here.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
    "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
    "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + NO_ADDRESS_BAR_POPUP)]
AXE_JS = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"
#: how long a test server's loop waits in ``select`` before it looks for close() again. close()
#: wakes it at once (``stop_serving``), so this bounds only a wake that went astray; at 0.05 s
#: (session 44 to 46) the servers a worker keeps for the whole run (its demo stack's three sites
#: and webhook, axe-core's server) woke 100 times a second doing nothing: an idle demo stack used
#: 0.152 s of CPU in 20 s with 0.05, 0.083 s with 1.0 (benchmarks/RESULTS.md, session 47 `suite`)
POLL = 1.0


def stop_serving(httpd) -> None:
    """``httpd.shutdown()`` (a ``socketserver`` server running ``serve_forever`` in another thread)
    without waiting up to ``POLL`` for its loop to look: a connection of its own wakes the loop's
    ``select`` (the handler reads an empty request and ends), again until the loop has ended,
    since the first may arrive before ``shutdown`` asked it to stop."""
    stopper = threading.Thread(target=httpd.shutdown, daemon=True)
    stopper.start()
    while stopper.is_alive():
        with contextlib.suppress(OSError):
            socket.create_connection(httpd.server_address[:2], timeout=POLL).close()
        stopper.join(0.01)


def free_socket() -> socket.socket:
    """A socket bound to a free 127.0.0.1 port (not listening yet)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_port() -> int:
    with free_socket() as sock:
        return sock.getsockname()[1]


#: the sockets holding ``dead_url``'s ports for the rest of the process
_DEAD: list[socket.socket] = []


def dead_url() -> str:
    """A 127.0.0.1 URL nothing listens on (connection refused) while this process runs: its port
    stays bound here, never listening (a connection to it is refused), so no server of the run
    (of any worker process) is given it later, as a port found free and let go could be: the
    demo stack's copy "with the service down" would then reach that server for the whole run."""
    sock = socket.socket()  # no SO_REUSEADDR: no other socket may bind the port
    sock.bind(("127.0.0.1", 0))
    _DEAD.append(sock)
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """What a static host does: byte ranges (so <video> can seek), the site's 404.html for
    missing pages when it has one; ``rewrite`` swaps strings in HTML (to point a copy of the
    site at another service without a second build). Quiet: no request log.

    HTTP/1.1 with keep-alive, as every real host: a page's files come over a few connections
    instead of one each (Chromium's CPU per page load, benchmarks/RESULTS.md, session 40). One
    handler serves every request of its connection, so what a request sets for ``copyfile``
    (``_remaining``, a byte range's length) is set again by each: a range's length left over
    from the last request cut the next file short of its Content-Length, and the browser waited
    for the rest for ever (a video's range request, then the next file on that connection)."""

    protocol_version = "HTTP/1.1"
    rewrite: tuple[tuple[bytes, bytes], ...] = ()

    def log_message(self, *args):
        pass

    def send_head(self):
        self._remaining = None  # the whole file, unless this request asks for a range (below)
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = os.path.join(path, "index.html")
        not_found = Path(self.directory, "404.html")
        if not os.path.isfile(path) and not_found.is_file():
            return self._send_bytes(404, not_found.read_bytes(), "text/html")
        if path.endswith(".html") and self.rewrite and os.path.isfile(path):
            data = Path(path).read_bytes()
            for old, new in self.rewrite:
                data = data.replace(old, new)
            return self._send_bytes(200, data, "text/html")
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if not match or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        start = int(match.group(1))
        end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
        if start >= size:
            self.send_error(416)
            return None
        f = open(path, "rb")
        f.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._remaining = end - start + 1
        return f

    def _send_bytes(self, status: int, data: bytes, ctype: str):
        self.send_response(status)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self._remaining = None
        return io.BytesIO(data)

    def copyfile(self, source, outputfile):
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            return super().copyfile(source, outputfile)
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)


class KeepAliveServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that knows its open connections: ``close`` ends those a browser
    keeps alive too, so a closed test site answers nothing more (as before keep-alive, when each
    connection ended with its response)."""

    def __init__(self, *args, **kwargs):
        self.open_connections: set[socket.socket] = set()
        self.connections_accepted = 0
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self.open_connections.add(request)
            self.connections_accepted += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        """A browser dropping a connection it kept alive (a closed page, a cancelled request) is how
        keep-alive ends, not a fault of the site: no traceback in the run's output for it. Anything
        else is printed as the standard library does."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)

    def close(self) -> None:
        """Stop serving: no new connection, and every open one ended (its thread then ends)."""
        stop_serving(self)
        self.server_close()
        with self._connections_lock:
            connections = list(self.open_connections)
        for request in connections:
            with contextlib.suppress(OSError):
                request.shutdown(socket.SHUT_RDWR)


class StaticServer:
    """``root`` served over HTTP on 127.0.0.1 (on ``sock`` when given, else a free port);
    ``url`` ends with a slash."""

    def __init__(self, root: Path, sock: socket.socket | None = None, rewrite=()):
        handler_cls = type("Handler", (SiteHandler,), {"rewrite": tuple(rewrite)})
        handler = functools.partial(handler_cls, directory=str(root))
        self.root = Path(root)
        self.httpd = KeepAliveServer(("127.0.0.1", 0), handler, bind_and_activate=sock is None)
        if sock is not None:
            self.httpd.socket.close()
            self.httpd.socket = sock
            sock.listen(64)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1] if sock is None else sock.getsockname()[1]}/"
        threading.Thread(target=self.httpd.serve_forever, args=(POLL,), daemon=True).start()

    def close(self):
        self.httpd.close()


class WebhookServer:
    """A webhook receiver on 127.0.0.1 (``url``): keeps every POST's headers and JSON body in
    ``received``; answers 500 to the first ``fail`` POSTs, then 204; with ``hold``, each answer
    waits until ``release`` is set (a webhook that hangs)."""

    def __init__(self, fail: int = 0, hold: bool = False):
        self.received, self.fail = [], fail
        self.arrived = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hook.arrived.set()
                hook.release.wait(30)
                hook.received.append((dict(self.headers), json.loads(body or b"null")))
                self.send_response(500 if len(hook.received) <= hook.fail else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/tickets"
        threading.Thread(target=self.httpd.serve_forever, args=(POLL,), daemon=True).start()

    def wait(self, count: int, timeout: float = 60.0) -> list:
        """The POSTs received, once there are ``count`` (or the timeout passed)."""
        end = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < end:
            time.sleep(0.05)
        return self.received

    def close(self) -> None:
        self.release.set()
        stop_serving(self.httpd)
        self.httpd.server_close()


class ServiceThread:
    """The real carebase service (``BackgroundService``: ``create_app`` + uvicorn in a thread)
    on 127.0.0.1, storing into a SQLite file under ``tmp`` and following the build output in
    ``site_data`` (which may be written after this, before ``start()``: sites are built
    pointing at ``url`` first). No rate limit: browser tests send as fast as they click. No
    learned-phrasing refresh (``learn_every=0``): the site and widget tests do not test learning
    (tests/learned does, with services of its own), and each refresh ran a worker process loading
    the embedding model, whose stop the service's close() then waited for (up to 5 s a service
    on a busy machine, the worker being niced)."""

    def __init__(self, tmp: Path, site_data: Path, origins, contact_webhook: str | None = None):
        from carebase.service.config import ServiceConfig
        from carebase.service.server import BackgroundService

        self.db_path = tmp / "feedback.db"
        self.db_url = f"sqlite:///{self.db_path}"
        config = ServiceConfig(database_url=self.db_url, allowed_origins=tuple(o.rstrip("/") for o in origins),
                               site_data=str(site_data), wait_for_site_data=True, rate_limit=0,
                               learn_every=0, contact_webhook=contact_webhook)
        self.background = BackgroundService(config, port=0)
        self.url = self.background.url
        self.engine = None
        # when the service last answered a request, and how many it is answering (``settle``)
        self._last, self._busy = time.monotonic(), 0
        app = self.background.server.config.app

        async def watched(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            self._busy += 1
            try:
                await app(scope, receive, send)
            finally:
                self._busy -= 1
                self._last = time.monotonic()
        self.background.server.config.app = watched  # before start(): uvicorn loads it then

    def start(self) -> None:
        import sqlalchemy as sa

        # waits for the service's start-up to end (uvicorn's started flag, polled every 10 ms);
        # the bound only ends a start that never ends: 30 s was reached once at load ~50
        self.background.start(timeout=180)
        self.engine = sa.create_engine(self.db_url)

    def close(self) -> None:
        self.background.stop()

    #: the rows this object sees have a rowid above this one (``since``); 0 on the service itself
    after = 0
    after_ms = None  # when the view was taken (ms since the epoch; None on the service itself)

    def since(self) -> "ServiceThread":
        """A view of this service that sees only the rows stored from now on: what one test
        stored on a service the worker's tests share (``rows`` of the view). Another test (of
        this file or another) that stored rows of the same query or item earlier cannot change
        what the view counts. A page of the test before may still send an event as it is
        unloaded (events.js flushes its queue on pagehide; the pool's reset opens about:blank):
        the view is taken once the service has had no request for ``QUIET_S`` (``settle``), so
        those rows are stored before it and are not seen either."""
        self.settle()
        view = copy.copy(self)
        view.after = self.max_rowid()
        view.after_ms = time.time_ns() // 1_000_000
        return view

    def max_rowid(self) -> int:
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            return conn.execute(sa.text("SELECT coalesce(max(rowid), 0) FROM events")).scalar()

    def settle(self, quiet: float = None, timeout: float = 5.0) -> None:
        """Return once the service has answered every request and none for ``quiet`` seconds
        (at once when the test before ended that long ago: its pool's reset takes longer), or
        after ``timeout`` seconds (a bound: a page of another test polling the service)."""
        quiet = QUIET_S if quiet is None else quiet
        state = self.background.server.server_state
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not self._busy and not state.tasks and time.monotonic() - self._last >= quiet:
                return
            time.sleep(0.02)

    def own(self, column: str = "events.rowid"):
        """The SQL condition ``rows`` adds: the rows stored after this view was taken."""
        import sqlalchemy as sa

        return sa.literal_column(column) > int(self.after)


#: how long a service must have been without requests before a test's view of it is taken
#: (``ServiceThread.since``): a page unloaded by the test before sends its last events at once
QUIET_S = 0.2
_WINDOWS = itertools.count(1)


def own_form_windows(monkeypatch) -> None:
    """The service's resubmission windows for this test alone (undone after it). A request sent
    again unchanged within ``FORM_WINDOW_S`` is stored once (``handlers.derived_event_id``: the
    no-JavaScript vote form, search page and contact event, the contact form's ticket), keyed by
    the client's hash: on a service the worker's tests share, all from 127.0.0.1, a test that
    posts what an earlier one posted (the same test run again, two tests sending the same
    message) would find its event or ticket to be the earlier one's. Each test's clock for those
    windows (``handlers.form_clock``) is moved to windows no other test of the process uses."""
    from carebase.service import handlers

    shift = next(_WINDOWS) * 3 * handlers.FORM_WINDOW_S
    real = handlers.form_clock
    monkeypatch.setattr(handlers, "form_clock", lambda: real() + shift)


def write_site_data(folder: Path, catalogue) -> Path:
    """The build output of ``catalogue`` in ``folder`` (through ``carebase.output.open_output``,
    as ``carebase build`` writes it)."""
    from carebase.output import open_output

    open_output(folder, catalogue)
    return folder


def with_items(catalogue, ids):
    """``catalogue`` plus a bare article or FAQ question for every id in ``ids`` it lacks (for a
    service that also accepts a hand-made test page's items)."""
    import dataclasses

    from carebase.content.model import Article, FaqGroup, FaqQuestion

    articles, faqs = list(catalogue.articles), {g.id: g for g in catalogue.faqs}
    for item in ids:
        if catalogue.get(item) is not None:
            continue
        kind, _, rest = item.partition(":")
        if kind == "article":
            articles.append(Article(id=item, path=f"{rest}.md", title=rest, body="", body_line=1))
        elif kind == "faq":
            group_id, _, anchor = item.partition("#")
            group = faqs.get(group_id) or FaqGroup(id=group_id, path=f"faq/{group_id[4:]}.yml", title=group_id,
                                                   questions=())
            question = FaqQuestion(id=item, group_id=group_id, anchor=anchor, question=anchor, answer="",
                                   path=group.path, line=1)
            faqs[group_id] = dataclasses.replace(group, questions=group.questions + (question,))
        else:
            raise ValueError(f"with_items: expected an article or FAQ id, found {item!r}")
    return dataclasses.replace(catalogue, articles=tuple(articles), faqs=tuple(faqs.values()), _index={})


@contextlib.contextmanager
def serve_asgi(app, *, lifespan: str = "off", timeout: float = 120):
    """Any ASGI app on uvicorn in a thread (``BackgroundServer``, as ``carebase serve`` runs the
    service) on a free 127.0.0.1 port; yields an ``httpx.Client`` for it and stops it afterwards."""
    import httpx

    from carebase.service.server import BackgroundServer

    server = BackgroundServer(app, port=0, lifespan=lifespan).start(timeout=timeout)
    try:
        # 60 s, not 10: a test's first search loads the embedding model, and at load ~60 that
        # took over 10 s once (rank, session 32: ReadTimeout in a meaning test). A bound, not a wait.
        with httpx.Client(base_url=server.url, timeout=60) as client:
            yield client
    finally:
        server.stop(timeout=5)


def build_demo(root: Path, site_url: str, service_url: str) -> Path:
    """``mkdocs build --strict`` of the repository's mkdocs.yml (the demo), with site_url and
    the carebase plugin's service_url set for this test run; returns the site folder."""
    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(REPO / config.get("docs_dir", "docs"))
    config["site_dir"] = str(root / "site")
    config["site_url"] = site_url
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "carebase" in plugin:
            plugin["carebase"]["service_url"] = service_url
    (root / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, env=env, cwd=root, timeout=600)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    return root / "site"


#: Page and context calls that leave state in a context that its reset (``ContextPool.release``)
#: cannot undo: a context or page that made one is closed at release, never handed out again.
DIRTY_CONTEXT_CALLS = ("add_init_script", "expose_binding", "expose_function", "set_extra_http_headers",
                       "set_geolocation", "grant_permissions", "route_from_har", "route_web_socket",
                       "set_default_timeout", "set_default_navigation_timeout", "new_cdp_session", "set_storage_state")
DIRTY_PAGE_CALLS = ("add_init_script", "expose_binding", "expose_function", "set_extra_http_headers",
                    "set_default_timeout", "set_default_navigation_timeout", "route_from_har",
                    "route_web_socket", "add_locator_handler", "pause", "screencast", "pick_locator")
#: ``new_context`` options a page can take and give back (``set_viewport_size``, ``emulate_media``),
#: with Playwright's defaults for a context given none of them: the pool keys its contexts by the
#: other options only, sets these on the page it hands out and restores the defaults at release
#: (Playwright keeps them per page, over the context's: its Page.emulatedSize and emulatedMedia,
#: the viewport with the screen the same size, as a context given a viewport and no screen)
PAGE_OPTIONS = {"viewport": {"width": 1280, "height": 720}, "color_scheme": "light",
                "reduced_motion": "no-preference", "forced_colors": "none", "contrast": "no-preference"}
#: the other options' defaults: a context given one of these values is the one given none
CONTEXT_DEFAULTS = {"device_scale_factor": 1, "is_mobile": False, "has_touch": False, "java_script_enabled": True}
#: properties whose objects change a context for good (a fake clock, stored credentials, a debugger)
DIRTY_PROPERTIES = ("clock", "credentials", "debugger", "video")
#: at most this many idle contexts kept per browser (each holds a renderer process, ~50-100 MB)
POOL_IDLE = 4


def _dirty_call(name):
    def call(self, *args, **kwargs):
        self._cb_mark(f"{name}()")
        return getattr(super(type(self), self), name)(*args, **kwargs)
    call.__name__ = name
    return call


def _dirty_property(base, name):
    prop = getattr(base, name)

    def get(self):
        self._cb_mark(f".{name}")
        return prop.fget(self)
    return property(get)


def _listened(base):
    """``on``/``once``/``route`` of a pooled page or context: kept in a list, undone at release."""
    def on(self, event, f):
        self._cb_state().listeners.append((self, event, f))
        return base.on(self, event, f)

    def once(self, event, f):
        self._cb_state().listeners.append((self, event, f))
        return base.once(self, event, f)

    def route(self, *args, **kwargs):
        self._cb_state().routed.add(self)
        return base.route(self, *args, **kwargs)
    return {"on": on, "once": once, "add_listener": on, "route": route}


def _set_offline(self, offline):
    """A pooled context's ``set_offline``: noted, and set back online at release."""
    self._cb_pool_state.offline = self._cb_pool_state.offline or offline
    return type(self).__mro__[1].set_offline(self, offline)


def split_options(options: dict) -> tuple[dict, dict]:
    """``new_context`` options → (the context's, those set on its page: ``PAGE_OPTIONS``), options
    equal to their default dropped. With ``screen`` or ``viewport=None`` (a window's size), all
    stay the context's: ``set_viewport_size`` gives the screen the viewport's size."""
    options = {k: v for k, v in options.items() if not (k in CONTEXT_DEFAULTS and v == CONTEXT_DEFAULTS[k])}
    if "screen" in options or ("viewport" in options and options["viewport"] is None):
        return options, {}
    page = {k: options.pop(k) for k in PAGE_OPTIONS if k in options}
    return options, {k: v for k, v in page.items() if v != PAGE_OPTIONS[k]}


def set_page_options(page, page_options: dict, reset: bool = False) -> None:
    """``page_options`` (of ``PAGE_OPTIONS``) on ``page``, a pooled page at the defaults; with
    ``reset``, every one of them back to its default (and no emulated media type)."""
    from playwright.sync_api import Page

    wanted = {**PAGE_OPTIONS, **page_options} if reset else page_options
    if "viewport" in wanted:
        Page.set_viewport_size(page, wanted["viewport"])
    media = {k: v for k, v in wanted.items() if k != "viewport"}
    if reset:
        media["media"] = "null"
    if media:
        Page.emulate_media(page, **media)


def use_page_options(page, page_options: dict) -> None:
    """A pooled ``page`` given other ``PAGE_OPTIONS`` for its next document (the rest at their
    defaults); its context's later pages get them too."""
    set_page_options(page, page_options, reset=True)
    page.context._cb_pool_state.page_options = dict(page_options)


def new_context(browser, options: dict):
    """``browser.new_context(**options)``, where ``init_script`` (not Playwright's) is a script
    every document of the context runs first (``BrowserContext.add_init_script``)."""
    options = dict(options)
    script = options.pop("init_script", None)
    ctx = browser.new_context(**options)
    if script is not None:
        ctx.add_init_script(script)
    return ctx


class _PoolState:
    """What a pooled context's reset needs: its key, kept page, the origins its documents had,
    the test's listeners and routes, and why it cannot be reused (``dirty``)."""

    def __init__(self, key):
        self.key, self.page, self.page_taken = key, None, False
        self.origins: set[str] = set()
        self.listeners: list = []
        self.routed: set = set()
        self.dirty: str | None = None
        self.offline = False
        self.cdp = None
        self.page_options: dict = {}  # what the page was given over the defaults (PAGE_OPTIONS)


def _pooled_classes():
    from playwright.sync_api import BrowserContext, Page

    def state_of_context(self):
        return self._cb_pool_state

    def state_of_page(self):
        return self.context._cb_pool_state

    def mark(self, reason):
        self._cb_state().dirty = self._cb_state().dirty or reason

    def new_page(self):
        state = self._cb_pool_state
        if state.page is not None and not state.page_taken and not state.page.is_closed():
            state.page_taken = True
            return state.page
        page = BrowserContext.new_page(self)
        page.__class__ = PooledPage
        set_page_options(page, state.page_options)  # as a context given them sizes every new page
        return page

    def requests(self):
        raise NotImplementedError("page.requests() would list an earlier test's requests on a pooled page: "
                                  "use page.on('request', ...) or make(fresh=True) (tests/web_testkit.py)")

    ctx_body = {"_cb_state": state_of_context, "_cb_mark": mark, "new_page": new_page, "set_offline": _set_offline,
                **_listened(BrowserContext)}
    ctx_body.update({name: _dirty_call(name) for name in DIRTY_CONTEXT_CALLS})
    ctx_body.update({name: _dirty_property(BrowserContext, name) for name in DIRTY_PROPERTIES
                     if isinstance(getattr(BrowserContext, name, None), property)})
    PooledContext = type("PooledContext", (BrowserContext,), ctx_body)
    page_body = {"_cb_state": state_of_page, "_cb_mark": mark, "requests": requests, **_listened(Page)}
    page_body.update({name: _dirty_call(name) for name in DIRTY_PAGE_CALLS})
    page_body.update({name: _dirty_property(Page, name) for name in DIRTY_PROPERTIES
                      if isinstance(getattr(Page, name, None), property)})
    PooledPage = type("PooledPage", (Page,), page_body)
    return PooledContext, PooledPage


class ContextPool:
    """Browser contexts (each with one page) reused across tests, reset to what a first-time
    customer's browser holds. A fresh context and page cost Debian's chromium ~1.2 s of CPU on
    the demo's article page, a reset one ~0.55 s with its reset (benchmarks/RESULTS.md "Test
    suite", session 27): the new renderer and its first frame, not the navigation, are the cost.

    ``take(**options)`` → a context with those ``browser.new_context`` options: an idle one of
    the same options, reset, or a new one; the viewport and media features (``PAGE_OPTIONS``)
    are not the context's but set on its pages (``split_options``): a context serves every
    viewport and colour scheme. ``init_script="..."`` (carebase's option, not Playwright's): a
    script every document of the context runs first, given when the context is made, so the
    context is handed out again to tests asking for the same script only (an
    ``add_init_script`` call of the test's own cannot be undone: that context is closed). Its first ``new_page()`` is the kept page (at about:blank, no
    history); a later ``new_page()`` gets the same viewport and media (a popup the page opens
    gets the context's own, Playwright's defaults or the size its window.open asks for: no test
    opens one with them). ``release(ctx)`` resets it for
    the next test or closes it:

    - reset: the test's other pages closed, its listeners removed, routes undone and the
      context back online (``set_offline``), the page
      sent to about:blank (the document unloaded), for every origin a document of the context
      had: all its storage cleared (``Storage.clearDataForOrigin`` "all": cookies,
      localStorage, IndexedDB, Cache Storage, service workers, ...) and its sessionStorage;
      every cookie and permission, the HTTP cache (a cold load, as a first visit), the back/
      forward history, the console and error buffers, the mouse moved off the page, the
      viewport and media features back at Playwright's defaults (the test's own
      ``set_viewport_size`` and ``emulate_media`` too);
    - closed instead: a context or page that made a call whose effect no reset undoes
      (``DIRTY_CONTEXT_CALLS``, ``DIRTY_PAGE_CALLS``, ``DIRTY_PROPERTIES``, through the page,
      ``page.context`` or the context alike: the pooled objects are subclasses that note it),
      a closed or crashed page, a reset that failed, or beyond ``POOL_IDLE`` idle contexts."""

    _classes = None

    def __init__(self, browser):
        self.browser = browser
        self.idle: dict[str, list] = {}
        self.stats = {"new": 0, "reused": 0, "closed_dirty": 0, "fresh": 0}
        self.closed_why: str | None = None  # why the last context closed at release was not kept

    @classmethod
    def of(cls, browser) -> "ContextPool":
        """The pool of ``browser`` (one per browser)."""
        pool = getattr(browser, "_cb_context_pool", None)
        if pool is None:
            pool = cls(browser)
            browser._cb_context_pool = pool
        return pool

    def take(self, **options):
        options, page_options = split_options(options)
        key = json.dumps(options, sort_keys=True, default=str)
        idle = self.idle.get(key)
        if idle:
            ctx = idle.pop()
            self.stats["reused"] += 1
        else:
            ctx = self._new(key, options)
        ctx._cb_pool_state.page_options = page_options
        set_page_options(ctx._cb_pool_state.page, page_options)
        return ctx

    def _new(self, key, options):
        if ContextPool._classes is None:
            ContextPool._classes = _pooled_classes()
        pooled_context, pooled_page = ContextPool._classes
        ctx = new_context(self.browser, options)
        ctx.__class__ = pooled_context
        state = ctx._cb_pool_state = _PoolState(key)
        from playwright.sync_api import BrowserContext, Page

        # the origins of every document of the context (storage is kept per origin), popups' too
        def watch(page):
            Page.on(page, "framenavigated", lambda frame: _note_origin(state, frame.url))
        BrowserContext.on(ctx, "page", watch)
        state.page = BrowserContext.new_page(ctx)
        state.page.__class__ = pooled_page
        self.stats["new"] += 1
        return ctx

    def release(self, ctx) -> None:
        state = ctx._cb_pool_state
        if ctx.is_closed():
            return
        reason = state.dirty or self._reset(ctx, state)
        if reason is None and sum(map(len, self.idle.values())) >= POOL_IDLE:
            oldest = next(k for k, v in self.idle.items() if v)  # the options first seen
            with contextlib.suppress(Exception):
                self.idle[oldest].pop(0).close()
        if reason is None:
            self.idle.setdefault(state.key, []).append(ctx)
            return
        self.stats["closed_dirty"] += 1
        self.closed_why = reason
        try:
            ctx.close()
        except Exception:
            pass

    def _reset(self, ctx, state) -> str | None:
        """Reset ``ctx`` for the next test; the reason it cannot be reused, or None."""
        from playwright.sync_api import BrowserContext, Page

        page = state.page
        try:
            if page.is_closed():
                return "its page was closed"
            for other in ctx.pages:
                if other is not page:
                    other.close()
            for target, event, f in state.listeners:
                with contextlib.suppress(KeyError):  # a ``once`` listener that ran is gone already
                    target.remove_listener(event, f)
            for target in state.routed:
                target.unroute_all(behavior="ignoreErrors")
            state.listeners.clear()
            state.routed.clear()
            if state.offline:
                BrowserContext.set_offline(ctx, False)
                state.offline = False
            # sessionStorage belongs to the tab, not the context, and no CDP call clears it without
            # a document of its origin: cleared in the page's documents, then in a blank document
            # of each other origin the tab had
            cleared = set()
            for frame in page.frames:
                origin = _origin(frame.url)
                if origin and origin not in cleared:
                    frame.evaluate("() => sessionStorage.clear()")
                    cleared.add(origin)
            Page.goto(page, "about:blank")
            if state.cdp is None:
                state.cdp = BrowserContext.new_cdp_session(ctx, page)
            for origin in sorted(state.origins):
                state.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            others = sorted(state.origins - cleared)
            if others:
                Page.route(page, "**/*", lambda route: route.fulfill(body="<html></html>", content_type="text/html"))
                for origin in others:
                    Page.goto(page, origin + "/")
                    page.evaluate("() => sessionStorage.clear()")
                Page.unroute_all(page)
                Page.goto(page, "about:blank")
            state.origins.clear()
            page.evaluate("() => { window.name = ''; }")  # the tab's name outlives its documents
            # the viewport and media features back to a context's defaults (the test's own
            # set_viewport_size and emulate_media too)
            set_page_options(page, {}, reset=True)
            state.page_options = {}
            state.cdp.send("Network.clearBrowserCache")
            state.cdp.send("Page.resetNavigationHistory")
            ctx.clear_cookies()
            ctx.clear_permissions()
            page.clear_console_messages()
            page.clear_page_errors()
            page.mouse.move(-1, -1)
            state.page_taken = False
            return None
        except Exception as exc:  # anything that fails in a reset: the context is not reused
            return f"reset failed: {exc}"


def _origin(url: str) -> str | None:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if scheme in ("http", "https") else None


def _note_origin(state, url: str) -> None:
    origin = _origin(url)
    if origin:
        state.origins.add(origin)


@contextlib.contextmanager
def page_factory(browser):
    """``make(**context_options)`` → a page in a context holding nothing a first-time customer's
    browser would not (no stored palette, votes, outbox, cookies, cache or history): a context of
    the run's pool (``ContextPool``), reset after the test, or a new one; ``make.context(**options)``
    → such a context itself (its first ``new_page()`` is its kept page). ``make(fresh=True, ...)``
    / ``make.context(fresh=True, ...)``: a new context, never pooled. ``init_script=...``: a
    script every document runs first (``ContextPool``: pooled with it, unlike ``add_init_script``,
    whose context is closed after the test). Every context is released
    (reset for the next test, or closed) on exit. Use in a fixture:
    ``with page_factory(b) as make: yield make``."""
    pool = ContextPool.of(browser)
    taken, fresh_ones = [], []

    def context(fresh: bool = False, **options):
        if fresh:
            pool.stats["fresh"] += 1
            fresh_ones.append(new_context(browser, options))
            return fresh_ones[-1]
        taken.append(pool.take(**options))
        return taken[-1]

    def make(fresh: bool = False, **options):
        return context(fresh, **options).new_page()

    make.context = context
    try:
        yield make
    finally:
        for ctx in fresh_ones:
            ctx.close()
        for ctx in taken:
            pool.release(ctx)


class DemoService(ServiceThread):
    """The service as the demo site uses it: the demo's build output (items and search index)."""

    def rows(self, type_: str, item: str | None = None) -> list[dict]:
        """Stored events of one type (of one item), oldest first: on a view (``since``), only
        those stored after it was taken."""
        import sqlalchemy as sa

        from carebase.store.schema import events

        query = sa.select(events).where(events.c.type == type_, self.own())
        if item is not None:
            query = query.where(events.c.item_id == item)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(events.c.received_ms))]

    def votes(self, item: str) -> list[dict]:
        return self.rows("vote", item)


#: the URLs the run's one demo build names (tests/conftest.py ``demo_build``): each DemoStack
#: copies it with its own site's and service's (once_testkit.copy_rewritten)
PLACEHOLDER_SITE, PLACEHOLDER_SERVICE = "http://carebase-site.invalid", "http://carebase-service.invalid"


class DemoStack:
    """The demo help centre built for this run and served on 127.0.0.1, the real service it
    sends to (following the build's output), and a copy of the same site pointed at a port
    nothing listens on (service down); with ``refusing_work``, also a copy sending to a
    service whose build output publishes no item (every vote refused with 422). With
    ``build`` (a ``build_demo`` made with the PLACEHOLDER URLs, shared by the run's worker
    processes), a copy of it naming this stack's URLs, byte for byte what a build with them
    writes, instead of a build of its own."""

    def __init__(self, work: Path, *, build: Path | None = None, refusing_work: Path | None = None,
                 contact_webhook: str | None = None):
        site_sock = free_socket()
        self.url = f"http://127.0.0.1:{site_sock.getsockname()[1]}/"
        self.site_data = work / "site-data"  # the build writes it beside the site
        self.service = DemoService(work, self.site_data, [self.url], contact_webhook=contact_webhook)
        if build is None:
            self.site = build_demo(work, self.url, self.service.url)
        else:  # the run's one build (build_demo with the PLACEHOLDER URLs), copied with this stack's
            from once_testkit import copy_rewritten

            copy_rewritten(build, work, {PLACEHOLDER_SITE: self.url.rstrip("/"), PLACEHOLDER_SERVICE: self.service.url})
            self.site = work / "site"
        self.manifest = json.loads((self.site / "manifest.json").read_text(encoding="utf-8"))
        self.server = StaticServer(self.site, site_sock)
        self.service.start()
        self.parts = [self.server, self.service]
        if refusing_work is not None:
            from carebase.content.model import Catalogue

            refusing_sock = free_socket()
            refusing_url = f"http://127.0.0.1:{refusing_sock.getsockname()[1]}/"
            empty = write_site_data(refusing_work / "site-data", Catalogue(root=str(refusing_work)))
            self.refusing = DemoService(refusing_work, empty, [refusing_url])
            self.refusing_site = StaticServer(self.site, refusing_sock,
                                              rewrite=[(self.service.url.encode(), self.refusing.url.encode())])
            self.refusing.start()
            self.parts += [self.refusing_site, self.refusing]
        self.dead_site = StaticServer(self.site, rewrite=[(self.service.url.encode(), dead_url().encode())])
        self.parts.append(self.dead_site)

    def rows(self, type_: str) -> list[dict]:
        return self.service.rows(type_)

    def since(self) -> "DemoStack":
        """This stack as one test sees it: the same site, service and copies, the service's
        ``rows`` (and ``votes``) only those stored from now on (``ServiceThread.since``)."""
        view = copy.copy(self)
        view.service = self.service.since()
        return view

    def close(self):
        for part in self.parts:
            part.close()


def run_async(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own. Once the run's Chromium has started
    (``shared_chromium``), Playwright's sync API keeps an event loop running in the main thread
    until the session ends, so ``asyncio.run`` there fails ("cannot be called from a running
    event loop") in any test that comes after a browser test in the same process."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="run-async") as pool:
        return pool.submit(asyncio.run, coroutine).result()


class RequestWatch:
    """Every request ``page`` makes from now on (``requests``, their URLs), and ``settle()``."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.page = page
        self.pending: set = set()  # requests without an answer yet
        self.last = time.monotonic()  # when a request last started or was answered
        page.on("request", self._started)
        page.on("response", self._answered)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request):
        self.requests.append(request.url)
        self.pending.add(request)
        self.last = time.monotonic()

    def _answered(self, response):
        self._ended(response.request)

    def _ended(self, request):
        self.pending.discard(request)
        self.last = time.monotonic()

    def settle(self, quiet: float = 0.8, timeout: float = 30.0) -> None:
        """Return once no request of the page has waited for its answer, and none started, for
        ``quiet`` seconds, or once ``timeout`` passed (what follows judges the page as it is).
        A request counts as answered at its response, not at its end. Playwright's own
        "networkidle" waits for every request's end, and the service's liveness probe (events.js:
        a fetch in a worker, answered 405) has none it hears of in about half the page loads:
        the page terminates the worker on the answer, and then neither requestfinished nor
        requestfailed comes (in 3 of 8 article and video loads, session 29): a page with a
        feedback widget then never reached networkidle (10 s of a timeout spent in CI on the
        self-hosted video page's request test; a wait without a timeout would fail). Playwright
        hands its events to the listeners only inside its own calls: hence the 0.1 s
        ``wait_for_timeout`` steps, never a sleep."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.page.wait_for_timeout(100)
            if not self.pending and time.monotonic() - self.last >= quiet:
                return


# the page's layout shifts a customer did not cause (hadRecentInput false): the buffered entries
# handed to a new observer at once (takeRecords), read after two painted frames so the last
# change has been measured
_LAYOUT_SHIFTS = """() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
  const o = new PerformanceObserver(() => {});
  o.observe({type: "layout-shift", buffered: true});
  const entries = o.takeRecords();
  o.disconnect();
  resolve(entries.filter((e) => !e.hadRecentInput).map((e) => [e.value, (e.sources || [])
    .map((s) => s.node ? (s.node.className || s.node.nodeName || "").toString() : "").filter(Boolean).join(", ")]));
})))"""


def layout_shifts(page) -> list[tuple[float, str]]:
    """The layout shifts of ``page`` so far that no input caused (Lighthouse's CLS counts
    them): (value, the moved elements' classes), in order."""
    return [(value, moved) for value, moved in page.evaluate(_LAYOUT_SHIFTS)]


class _CachedFiles(SiteHandler):
    """Files a browser may keep in its cache for an hour (axe-core's script)."""

    def end_headers(self):
        self.send_header("Cache-Control", "public, max-age=3600")
        super().end_headers()


_AXE_SERVER: list = []


def axe_url() -> str:
    """axe-core's script over HTTP on 127.0.0.1 (a server of this process, started on first use).
    Injected by URL, Chromium keeps the file in the context's cache and its compiled code (V8's
    code cache): on the third and later pages of a context axe took 0.04-0.2 s to inject, against
    0.24-1.7 s when its 650 KB went through Playwright and were compiled again every time
    (a 300-paragraph page, machine at load 18)."""
    if not _AXE_SERVER:
        handler = functools.partial(_CachedFiles, directory=str(AXE_JS.parent))
        httpd = KeepAliveServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, args=(POLL,), daemon=True).start()
        _AXE_SERVER.append(f"http://127.0.0.1:{httpd.server_address[1]}/{AXE_JS.name}")
    return _AXE_SERVER[0]


#: true once no finite CSS transition or animation runs (an endless one, a spinner, never ends)
_SETTLED = """() => document.getAnimations().every((a) => a.playState !== "running"
  || a.effect === null || a.effect.getComputedTiming().iterations === Infinity)"""


def wait_until_still(page, timeout: float = 30000) -> None:
    """Return once no finite CSS transition or animation runs in ``page`` (what is measured
    mid-way is neither the old state nor the new one); ``timeout`` in ms bounds a failure only."""
    page.wait_for_function(_SETTLED, timeout=timeout)


#: the page's palette toggle is ready: Material's bundle or, on a page without it, carebase's
#: chrome.js has started (material_started) and mounted the toggle if the page has one (both add
#: the color-scheme meta; chrome.js once the page is idle); with Material's bundle, its document$
#: (a ReplaySubject) has given the document
_PALETTE_READY = """() => { if (window.__carebaseMaterial === 'waiting') return false; let seen = !window.document$;
  if (!seen) window.document$.subscribe(() => { seen = true; }).unsubscribe();
  return seen && (!document.querySelector('form[data-md-component=palette]')
    || !!document.querySelector('meta[name=color-scheme]')); }"""
#: Material's palette toggle for a colour scheme, clicked from script (the focus stays where it is)
_SWITCH_PALETTE = """(media) => {
  const input = document.querySelector(`input[name=__palette][data-md-color-media="${media}"]`);
  if (!input) return null;
  input.click();
  return input.dataset.mdColorScheme;
}"""


def switch_palette(page, scheme: str) -> str:
    """The open document of a Material page shown in the ``scheme`` palette ("light" or "dark")
    as when the customer switches with the header's toggle, the media feature
    prefers-color-scheme emulated to match: the same document, its state (an open question,
    a widget's step, open suggestions) kept, instead of a second load in the other palette.
    Returns Material's scheme (``default``, ``slate``) once applied and no transition runs."""
    page.wait_for_function(_PALETTE_READY, timeout=30000, polling=100)
    page.emulate_media(color_scheme=scheme)
    material = page.evaluate(_SWITCH_PALETTE, f"(prefers-color-scheme: {scheme})")
    assert material, f"{page.url}: no palette toggle for {scheme}"
    page.wait_for_function("(s) => document.body.getAttribute('data-md-color-scheme') === s"
                           " && !document.body.hasAttribute('data-md-color-switching')", arg=material)
    wait_until_still(page)
    return material


def material_started(page, timeout: float = 30000) -> None:
    """Return once the page's chrome has started in ``page``: Material's bundle on a page that
    needs it (code blocks, content tabs, … plugins/site/material.py) — the theme requests it
    once the page's content is on screen or at the first key or touch
    (theme/partials/carebase/material-bundle.html), often after "load", and it still changes
    the page when it starts (the palette set again, tables wrapped, its keyboard handlers and
    focus-visible polyfill), or it failed to load — or carebase's chrome.js on the others
    (tables wrapped, its scroll and keyboard handlers; on a search page once the loader ran
    all of its scripts); pages that load the bundle as Material writes it (Material's search or
    instant navigation, extra_javascript: a deferred bundle, run before "load") return at once.
    What a browser test calls after ``goto`` before it acts on the page; ``timeout`` in ms
    bounds a failure only."""
    # polled every 50 ms: "raf" polling has the renderer draw a frame for each check
    page.wait_for_function("() => window.__carebaseMaterial !== 'waiting'", timeout=timeout, polling=50)


def inject_axe(page) -> None:
    """axe-core in ``page`` (once per document): by URL on pages served over HTTP (cached, see
    ``axe_url``), from the file on others (a report opened as file://). Returns once the page's
    transitions have ended: axe measures colours, and a button's colour 0.2 s into a click is
    neither its old nor its new one (the Hebrew article's pressed "No" measured 3.23:1 mid-way,
    when a reused context's renderer, axe compiled already, ran axe sooner)."""
    material_started(page)  # Material still changes the page when it starts (tables wrapped)
    wait_until_still(page)
    if page.evaluate("() => !!window.axe"):
        return
    if not page.evaluate(_SCRIPTING):  # Playwright's add_script_tag would wait for ever
        raise AssertionError(
            f"axe-core cannot run in {page.url}: its browser context has JavaScript turned off "
            "(java_script_enabled=False), so no injected script runs. Check the same page in a "
            "context with JavaScript on (bypass_csp=True when the page's Content-Security-Policy "
            "blocks the injected script), as test_sitesearch_more.py's no-JavaScript test does.")
    if page.url.startswith("http"):
        page.add_script_tag(url=axe_url())
    else:
        page.add_script_tag(path=str(AXE_JS))


def save_shot(target, name: str, **options) -> Path | None:
    """A screenshot of ``target`` (a page or a locator) for people to look at, saved as
    $CAREBASE_SHOTS/``name`` only when CAREBASE_SHOTS names a folder: no test reads these files
    and CI never looks at them (0.1-0.5 s each, 40 of them a run); the site's screenshots for
    review are benchmarks/screenshots.py's. Screenshots taken to show a failure are not this."""
    folder = os.environ.get("CAREBASE_SHOTS")
    if not folder:
        return None
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(path), **options)
    return path


#: The axe rules whose result depends on the palette: contrast, and links told from text by colour.
#: Every other rule gave the same result in the light and the dark palette on the demo's page types
#: (home, category, article, FAQ with a question open, both videos, gallery, search, contact, 404,
#: German home and article; session 26, every rule's passing, failing and incomplete nodes compared):
#: only ``region`` saw other nodes, the palette toggle's label for the other palette (the same markup).
#: So a state checked in full in one palette is checked in the other with these rules only.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_options(colours_only: bool = False) -> dict:
    """axe.run's options: WCAG 2.2 A/AA and best practices, or ``COLOUR_RULES`` only."""
    if colours_only:
        return {"runOnly": {"type": "rule", "values": COLOUR_RULES}, "resultTypes": ["violations"]}
    return {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                  "best-practice"]},
            "resultTypes": ["violations"]}


#: true when the page's document runs script: the HTML parser reads a ``<noscript>``'s content as
#: markup only where scripting is off (a context's java_script_enabled=False), whatever the page's
#: Content-Security-Policy says, and the element is never attached
_SCRIPTING = """() => { const probe = document.createElement('noscript'); probe.innerHTML = '<i></i>';
  return probe.firstChild.nodeType === Node.TEXT_NODE; }"""
AXE_TIMEOUT = 90.0  # seconds: axe-core's longest run on the demo's pages is a few seconds, loaded


def run_axe(page, *, context: str | None = None, colours_only: bool = False,
            timeout: float = AXE_TIMEOUT) -> list[dict]:
    """Inject axe-core into ``page`` and return its WCAG 2.2 A/AA violations (with
    ``colours_only``, those of ``COLOUR_RULES``: for a state checked in full in the other palette).
    Fails at once, saying why and what to do, on a page that runs no script, and after
    ``timeout`` seconds when axe-core gives no result."""
    inject_axe(page)
    options = axe_options(colours_only)
    try:
        return page.evaluate(
            "([ctx, opts, ms]) => Promise.race([axe.run(ctx || document, opts).then(r => r.violations),"
            " new Promise((_, late) => setTimeout(() => late(new Error('carebase-axe-timeout')), ms))])",
            [context, options, timeout * 1000])
    except Exception as exc:  # playwright's Error: the page's rejection
        if "carebase-axe-timeout" not in str(exc):
            raise
        raise AssertionError(f"axe-core gave no result in {timeout:g} s on {page.url}"
                             f"{f' (context {context!r})' if context else ''}") from None


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:6]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]} {node['html'][:160]}")
    return "\n".join(lines)
