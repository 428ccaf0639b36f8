"""The browser tests' static host (tests/web_testkit.py ``StaticServer``) keeps connections
alive, as real hosts do: every answer on a kept-alive connection is whole whatever came before
it on that connection (a byte range, a 404 page, a rewritten page), and closing the host ends
the connections a browser keeps open, so a closed test site answers nothing more."""

from __future__ import annotations

import http.client

import pytest
from tiers_testkit import real_build

from web_testkit import POLL, StaticServer, WebhookServer

VIDEO = bytes(range(256)) * 400  # 102,400 bytes
PAGE = b"<!doctype html><title>t</title><p>see http://service.example/ here</p>"


@pytest.fixture
@real_build
def host(tmp_path):
    (tmp_path / "clip.mp4").write_bytes(VIDEO)
    (tmp_path / "page.html").write_bytes(PAGE)
    (tmp_path / "404.html").write_bytes(b"<!doctype html><title>Not found</title>")
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_bytes(b"<!doctype html><title>guide</title>")
    server = StaticServer(tmp_path, rewrite=[(b"http://service.example/", b"http://127.0.0.1:9/")])
    yield server
    server.close()


def _get(conn, path, **headers):
    conn.request("GET", path, headers=headers)
    answer = conn.getresponse()
    body = answer.read()
    return answer, body


def test_one_kept_alive_connection_serves_whole_answers_after_a_byte_range(host):
    conn = http.client.HTTPConnection("127.0.0.1", host.httpd.server_address[1], timeout=10)
    answer, body = _get(conn, "/clip.mp4", Range="bytes=100-109")
    assert (answer.status, body, answer.getheader("Content-Range")) == (206, VIDEO[100:110], "bytes 100-109/102400")
    first = conn.sock
    # the whole file next on the same connection: all of it (a range's length left over from the
    # request before cut it to 10 bytes, and a browser waited for the rest until its time-out)
    answer, body = _get(conn, "/clip.mp4")
    assert (answer.status, len(body), body == VIDEO) == (200, len(VIDEO), True)
    answer, body = _get(conn, "/clip.mp4", Range="bytes=102390-")
    assert (answer.status, body) == (206, VIDEO[102390:])
    answer, body = _get(conn, "/missing/")
    assert (answer.status, b"Not found" in body) == (404, True)
    answer, body = _get(conn, "/page.html")
    assert (answer.status, body) == (200, PAGE.replace(b"http://service.example/", b"http://127.0.0.1:9/"))
    answer, body = _get(conn, "/guide")  # a folder without its slash: redirected, with no body
    assert (answer.status, answer.getheader("Location"), body) == (301, "/guide/", b"")
    answer, body = _get(conn, "/guide/")
    assert (answer.status, body) == (200, b"<!doctype html><title>guide</title>")
    assert conn.sock is first and not answer.will_close  # every answer over the one connection
    assert host.httpd.connections_accepted == 1
    # a range past the end: refused (http.server then closes the connection, as after any error)
    answer, body = _get(conn, "/clip.mp4", Range="bytes=999999-")
    assert answer.status == 416
    answer, body = _get(conn, "/clip.mp4")
    assert (answer.status, body == VIDEO) == (200, True)
    conn.close()


def test_closing_the_host_ends_the_connections_a_client_keeps_open(host):
    conn = http.client.HTTPConnection("127.0.0.1", host.httpd.server_address[1], timeout=10)
    answer, body = _get(conn, "/page.html")
    assert answer.status == 200 and not answer.will_close
    host.close()
    conn.auto_open = 0  # ask on the kept connection, never on a new one
    with pytest.raises((http.client.HTTPException, OSError)):
        _get(conn, "/page.html")
    conn.close()


def test_a_client_resetting_a_kept_connection_prints_no_traceback(host, capfd):
    """A browser drops connections it kept alive (a page closed, a request cancelled): that is how
    keep-alive ends, so the run's output shows no "Connection reset by peer" traceback for it."""
    import socket
    import struct
    import time

    port = host.httpd.server_address[1]
    for _ in range(3):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        answer, _body = _get(conn, "/page.html")
        assert answer.status == 200 and not answer.will_close
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
        conn.close()
    deadline = time.monotonic() + 5
    while host.httpd.open_connections and time.monotonic() < deadline:  # the server saw each reset
        time.sleep(0.02)
    assert not host.httpd.open_connections
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("kind", ["site", "webhook"])
def test_an_idle_host_does_not_wake_and_closing_it_ends_its_loop(tmp_path, kind):
    """A worker keeps its demo stack's hosts for the whole run: idle, a host's loop waits for a
    connection instead of waking every few milliseconds to look for close() (``POLL``), and
    close() wakes it and ends it (``stop_serving``)."""
    import threading
    import time

    server = StaticServer(tmp_path) if kind == "site" else WebhookServer()
    httpd = server.httpd
    wakes = []
    httpd.service_actions = lambda: wakes.append(time.monotonic())  # serve_forever calls it at each wake
    loops = [t for t in threading.enumerate() if getattr(t, "_target", None) == httpd.serve_forever]
    assert len(loops) == 1
    time.sleep(0.5)
    idle = len(wakes)
    server.close()
    loops[0].join(POLL)  # ended by close(), not by its next look
    assert idle <= 1, f"an idle host woke {idle} times in 0.5 s"
    assert not loops[0].is_alive()
