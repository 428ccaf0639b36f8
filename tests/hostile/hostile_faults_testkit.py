"""Faults for the store under a running service: a small real file system that fills up or
turns files immutable, a PostgreSQL server the test may kill and restart, and a client that
keeps sending events and remembers which ones were acknowledged.

The small file system is an ext4 image on a loop device (``mkfs.ext4`` + ``mount -o loop``,
no reserved blocks): a real "No space left on device", and ``chattr +i`` makes a file
immutable even for root and even through descriptors already open (tmpfs does neither for
open files). Both need root and a loop device; without them the tests skip and say why.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest


@contextlib.contextmanager
def small_filesystem(size_mb: int = 16):
    """A fresh ext4 file system of ``size_mb`` MB mounted on a temporary folder."""
    if os.geteuid() != 0 or not shutil.which("mkfs.ext4") or not os.path.exists("/dev/loop-control"):
        pytest.skip("the full-disk and read-only faults need root, mkfs.ext4 and a loop device")
    base = Path(tempfile.mkdtemp(prefix="carebase-fault-"))
    os.chmod(base, 0o755)  # PostgreSQL (its own user) keeps a tablespace in there
    image, mount = base / "disk.img", base / "mnt"
    mount.mkdir()
    with image.open("wb") as stream:
        stream.truncate(size_mb << 20)
    made = subprocess.run(["mkfs.ext4", "-q", "-F", "-m", "0", "-E", "lazy_itable_init=0,lazy_journal_init=0",
                           str(image)], capture_output=True, text=True)
    mounted = subprocess.run(["mount", "-o", "loop", str(image), str(mount)], capture_output=True, text=True)
    if made.returncode or mounted.returncode:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"cannot make a small file system: {(made.stderr or mounted.stderr).strip()[:200]}")
    try:
        yield mount
    finally:
        subprocess.run(["chattr", "-R", "-i", str(mount)], capture_output=True)
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def fill(folder: Path) -> Path:
    """Write a file until the file system is full; returns it (delete it to free the space)."""
    filler = folder / "filler.bin"
    block = b"\0" * (1 << 16)
    with filler.open("wb", buffering=0) as stream:
        while True:
            try:
                stream.write(block)
            except OSError:
                break
    with filler.open("ab", buffering=0) as stream:  # the last few bytes too
        for _ in range(1 << 16):
            try:
                stream.write(b"\0" * 512)
            except OSError:
                break
    return filler


def immutable(*paths: Path, on: bool = True) -> None:
    for path in paths:
        if path.exists():
            subprocess.run(["chattr", "+i" if on else "-i", str(path)], check=True)


def health_within(client: httpx.Client, status: int, seconds: float, *, since: float | None = None) -> float:
    """Poll /healthz until it answers ``status``; the seconds it took, counted from ``since`` (a
    ``time.monotonic()`` reading taken at the fault, so the deadline covers the service's whole
    reaction; default: now). Fails once ``seconds`` have passed."""
    start = time.monotonic() if since is None else since
    last = None
    while time.monotonic() - start < seconds:
        try:
            last = client.get("/healthz", timeout=seconds)
            if last.status_code == status:
                return time.monotonic() - start
        except httpx.TransportError as exc:
            last = exc
        time.sleep(0.2)
    raise AssertionError(f"/healthz did not answer {status} within {seconds} s; last: "
                         f"{getattr(last, 'status_code', last)} {getattr(last, 'text', '')[:300]}")


def batch(n: int = 20, padding: int = 400) -> list[dict]:
    """Votes with a ``padding``-character comment (at most 2,000: the events contract)."""
    return [{"id": f"f-{uuid.uuid4().hex[:24]}", "type": "vote", "item": "article:billing/refunds", "value": 0,
             "comment": "it did not help " + "x" * min(padding, 1900)} for _ in range(n)]


class Load:
    """A client sending batches in a thread: ``acked`` ids (answered 200) and ``refused``
    batches (answered 503 or not answered), to retry as the widget would."""

    def __init__(self, url: str, *, pause: float = 0.02, padding: int = 400) -> None:
        self.client = httpx.Client(base_url=url, timeout=15)
        self.pause, self.padding = pause, padding
        self.acked: set[str] = set()
        self.refused: list[list[dict]] = []
        self.first_refusal: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def post(self, events: list[dict]) -> int:
        try:
            answer = self.client.post("/api/v1/events", content=json.dumps({"events": events}),
                                      headers={"content-type": "text/plain"})
            code = answer.status_code
        except httpx.TransportError:
            code = 0
        if code == 200:
            self.acked.update(e["id"] for e in events)
        else:
            assert code in (0, 503), code  # never a 500, never a lie
            self.refused.append(events)
            if self.first_refusal is None:
                self.first_refusal = time.monotonic()
        return code

    def _run(self) -> None:
        while not self._stop.is_set():
            self.post(batch(padding=self.padding))
            time.sleep(self.pause)

    def __enter__(self) -> "Load":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(30)

    def retry_refused(self) -> None:
        for events in self.refused:
            assert self.post(events) == 200
        self.refused = []

    def close(self) -> None:
        self.client.close()


class KillablePostgres:
    """A throwaway PostgreSQL whose data survives ``kill()`` (SIGKILL) and ``start()`` again."""

    def __init__(self) -> None:
        from postgres_testkit import PostgresUnavailable, _runner, find_bindir

        try:
            self.bindir = find_bindir()
            self.prefix, self.uid, self.gid = _runner()
        except PostgresUnavailable as exc:
            pytest.skip(f"PostgreSQL fault tests skipped: {exc}")
        base = Path(tempfile.mkdtemp(prefix="carebase-pgfault-"))  # not under pytest's 0700 folders
        self.base, self.data = base, base / "data"
        self.data.mkdir(parents=True)
        for path in (base, self.data):
            if self.uid is not None:
                os.chown(path, self.uid, self.gid)
        os.chmod(base, 0o755)
        self.run([str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync"])
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.process: subprocess.Popen | None = None
        self.killed = False

    def run(self, args: list[str]) -> None:
        result = subprocess.run(self.prefix + args, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{args[0]} failed: {result.stderr.strip()[-300:]}")

    def chown(self, path: Path) -> None:
        if self.uid is not None:
            os.chown(path, self.uid, self.gid)

    def start(self) -> None:
        if self.killed:  # its backends hold the data folder until they notice and exit
            self._wait_backends_gone()
            self.killed = False
        args = [str(self.bindir / "postgres"), "-D", str(self.data), "-k", str(self.base), "-p", str(self.port),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=on", "-c", "max_connections=50"]
        log = (self.base / "postgres.log").open("ab")
        self.process = subprocess.Popen(self.prefix + args, stdout=log, stderr=subprocess.STDOUT)
        import psycopg

        deadline = time.monotonic() + 60
        while True:
            try:
                with psycopg.connect(self.url, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("postgres did not start: " + (self.base / "postgres.log").read_text()[-800:])
                time.sleep(0.2)

    def _postmaster(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def kill(self) -> None:
        """SIGKILL the server (its backends follow): the database is gone, mid-transaction.
        Returns once the server is gone, not its backends, so that a test timing the service's
        reaction polls at once; ``start()`` waits for them. (Waiting here, a pgrep every 0.1 s,
        took 2.5 s at load 47 and ate the fault suite's 5 s: 503 seen 4.8 s after the kill at
        load 56 with that wait inside the clock, 0.4 s at load 47 without.)"""
        pid = self._postmaster()
        if pid:
            os.kill(pid, signal.SIGKILL)
            self.killed = True
        if self.process is not None:
            self.process.wait(30)

    def _wait_backends_gone(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the backends notice and exit
            alive = subprocess.run(["pgrep", "-f", "--", f"-D {self.data}"], capture_output=True, text=True).stdout.split()
            if not [p for p in alive if p != str(os.getpid())]:
                break
            time.sleep(0.1)

    def shutdown(self) -> None:
        """A clean (fast) shutdown: a checkpoint writes every page to the data files first."""
        pid = self._postmaster()
        if pid:
            os.kill(pid, signal.SIGINT)
        if self.process is not None:
            self.process.wait(60)

    def stop(self) -> None:
        pid = self._postmaster()
        if pid and self.process is not None and self.process.poll() is None:
            os.kill(pid, signal.SIGQUIT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.base, ignore_errors=True)
