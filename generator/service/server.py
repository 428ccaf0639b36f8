"""Running the service: on the main thread (``carebase service``) or in a background thread.

``BackgroundService`` is for other commands and tests that need the service beside
something else (``carebase serve`` runs the site preview and the service together;
``BackgroundServer`` runs any ASGI app the same way)::

    with BackgroundService(ServiceConfig(database_url="sqlite:///feedback.db")) as service:
        print(service.url)   # http://127.0.0.1:8001 — the socket is bound before this returns

The socket is bound before uvicorn starts, so port 0 works and the URL is known at once.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from sqlalchemy.engine import make_url

from carebase.service.app import create_app
from carebase.service.config import ServiceConfig
from carebase.service.listen import bind, url_of
from carebase.store.engine import normalise_url


def safe_database(url: str) -> str:
    """The database URL with any password hidden, for messages."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def make_server(app, *, log_level: str = "warning", proxy_headers: bool = False,
                forwarded_allow_ips: str = "127.0.0.1", lifespan: str = "auto") -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(
        app, log_level=log_level, proxy_headers=proxy_headers, forwarded_allow_ips=forwarded_allow_ips,
        access_log=log_level in ("info", "debug"), server_header=False, lifespan=lifespan,
    ))


class BackgroundServer:
    """An ASGI app on a uvicorn server in a daemon thread; ``stop()`` drains and closes it.
    ``sock``: a socket already bound (its URL handed out before the app exists)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, *, sock: socket.socket | None = None,
                 log_level: str = "warning", lifespan: str = "auto", proxy_headers: bool = False) -> None:
        self.app = app
        self.socket = sock if sock is not None else bind(host, port)
        if sock is not None:
            sock.listen(2048)
        self.url = url_of(self.socket)
        self.server = make_server(app, log_level=log_level, lifespan=lifespan, proxy_headers=proxy_headers)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                       name="carebase-service", daemon=True)

    def start(self, timeout: float = 60) -> "BackgroundServer":
        """Start serving; waits until the app's start-up is done. The timeout only bounds a start
        that never ends (a loaded machine can take well over 10 s to run the start-up)."""
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the carebase service stopped while starting (its error is printed above)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the carebase service did not start within {timeout:g} s")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10) -> None:
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout)
        self.socket.close()

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


class BackgroundService(BackgroundServer):
    """The carebase service (``create_app(config)``) in a background thread. ``proxy_headers``:
    as ``carebase service --proxy-headers`` (the client is the ``X-Forwarded-For`` address when
    the request comes from 127.0.0.1)."""

    def __init__(self, config: ServiceConfig, host: str = "127.0.0.1", port: int = 8001, *,
                 sock: socket.socket | None = None, log_level: str = "warning", proxy_headers: bool = False) -> None:
        self.config = config
        # create_app opens and migrates the store now: errors surface here
        super().__init__(create_app(config), host, port, sock=sock, log_level=log_level, proxy_headers=proxy_headers)
