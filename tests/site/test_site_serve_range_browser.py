"""The preview server of `carebase serve` (carebase.cli._watching.Server, MkDocs' live-reload
server with native file events) answers byte ranges, so a self-hosted video seeks in the
preview as it does on a static host: a chapter link of the demo's video once played it from
0:00 under `carebase serve` (MkDocs' server sent the whole file to every request, and
Chromium then cannot seek: `video.seekable` is empty). Real server on 127.0.0.1, the
fixture's 34-second WebM, headless Chromium."""

from __future__ import annotations

import shutil
import threading
import urllib.request
from pathlib import Path

import pytest

from web_testkit import page_factory

pytestmark = pytest.mark.browser

VIDEO = Path(__file__).parent / "fixtures" / "help" / "videos" / "media" / "tour.webm"


@pytest.fixture
def preview(tmp_path):
    from carebase.cli._watching import Server

    shutil.copy(VIDEO, tmp_path / "tour.webm")
    (tmp_path / "index.html").write_text('<!doctype html><title>t</title><video src="tour.webm" preload="auto"></video>',
                                         encoding="utf-8")
    server = Server(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    while not server.serve_thread.is_alive():
        thread.join(0.01)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(10)


def _get(url: str, range_: str):
    request = urllib.request.Request(url, headers={"Range": range_})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_the_preview_server_answers_byte_ranges(preview):
    whole = VIDEO.read_bytes()
    status, headers, part = _get(preview + "/tour.webm", "bytes=100-199")
    assert (status, headers["Content-Range"], part) == (206, f"bytes 100-199/{len(whole)}", whole[100:200])
    status, headers, part = _get(preview + "/tour.webm", "bytes=-10")
    assert (status, part) == (206, whole[-10:])
    status, headers, part = _get(preview + "/tour.webm", "bytes=0-")
    assert (status, part) == (206, whole)
    assert _get(preview + "/tour.webm", f"bytes={len(whole)}-")[0] == 416
    assert _get(preview + "/nothing.webm", "bytes=0-")[0] == 404
    with urllib.request.urlopen(preview + "/tour.webm", timeout=30) as answer:  # no Range: the whole file
        assert answer.status == 200 and answer.read() == whole


def test_a_video_seeks_in_the_preview(preview, shared_chromium):
    with page_factory(shared_chromium) as make:
        page = make(viewport={"width": 390, "height": 800})
        page.goto(preview + "/", wait_until="load")
        page.wait_for_function("document.querySelector('video').readyState >= 1", timeout=15000)
        page.evaluate("document.querySelector('video').currentTime = 14")
        page.wait_for_function("!document.querySelector('video').seeking", timeout=15000)
        assert abs(page.evaluate("document.querySelector('video').currentTime") - 14) < 1


def test_a_range_to_the_end_of_a_large_video_is_streamed_not_read_whole(preview, tmp_path):
    """Reader R1: Chromium asks a video for ``bytes=N-`` on every seek; the preview read the whole
    rest of the file into memory before sending a byte (a 300 MB recording: +290 MB a request).
    Now the part goes out a block at a time: a 48 MB file's ``bytes=0-`` and ``bytes=N-`` arrive
    whole and right while the process's allocations never hold more than a few MB."""
    import hashlib
    import tracemalloc

    size = 48 * 1024 * 1024
    with open(tmp_path / "recording.webm", "wb") as out:  # the folder the preview serves
        out.truncate(size)  # sparse: zeros, written in no time
        out.seek(size - 4)
        out.write(b"tail")
    for first in (0, 1_000_003):
        tracemalloc.start()
        try:
            request = urllib.request.Request(preview + "/recording.webm", headers={"Range": f"bytes={first}-"})
            digest, got = hashlib.sha256(), 0
            with urllib.request.urlopen(request, timeout=60) as answer:
                assert answer.status == 206
                assert answer.headers["Content-Range"] == f"bytes {first}-{size - 1}/{size}"
                assert int(answer.headers["Content-Length"]) == size - first
                while block := answer.read(256 * 1024):
                    digest.update(block)
                    got += len(block)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        expected = hashlib.sha256(bytes(size - first - 4) + b"tail").hexdigest()
        assert (got, digest.hexdigest()) == (size - first, expected)
        assert peak < 8 * 1024 * 1024, f"{peak / 2**20:.0f} MB held to answer bytes={first}-"
