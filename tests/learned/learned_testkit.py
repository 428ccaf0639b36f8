"""Helpers for the learned-phrasing tests: planting journeys in a store, and a real
``carebase service`` on 127.0.0.1 with the demo content, learning every fraction of a second."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from carebase.store.writer import COLUMNS, write_rows

REPO = Path(__file__).resolve().parents[2]
SITE = "http://site.test"
TOKEN = "learned-token"


class Journeys:
    """Plants events as the service stores them (client hash, journey, client clock)."""

    def __init__(self, engine):
        self.engine = engine
        self.clock = 1_700_000_000_000
        self.n = 0

    def add(self, journey: str | None, client: str | None, *steps: tuple, epoch: str | None = "epoch-1") -> None:
        """steps: ("search", query) | ("click", item, query) | ("vote", item, 1|0) | ("contact",).
        ``epoch``: the client hash's salt epoch (one service process's day by default; None: a
        row stored before migration 0011)."""
        rows = []
        for step in steps:
            self.clock += 1000
            self.n += 1
            row = dict.fromkeys(COLUMNS)
            row.update(event_id=f"ev-{self.n:06d}", type=step[0], received_ms=self.clock, client_ms=self.clock,
                       journey=journey, client=client, page="/")
            if "client_epoch" in row:  # (a store of this version: migration 0011)
                row["client_epoch"] = epoch if client else None
            if step[0] == "search":
                row.update(query=step[1], results=5, source="search-page")
            elif step[0] == "click":
                row.update(item_id=step[1], query=step[2], rank=1)
            elif step[0] == "vote":
                row.update(item_id=step[1], value=step[2], scale="helpful", source="widget")
            rows.append(row)
        with self.engine.begin() as conn:
            write_rows(conn, rows)


#: this process's pristine copies of the demo content's build output, by meaning on or off
#: (``CAREBASE_SEMANTIC``: an output written with meaning off holds no vectors)
_written: dict[str | None, Path] = {}


def site_data_in(folder: Path) -> Path:
    """``folder``/site-data: the demo content's build output as `carebase build` writes it
    (English), for a service to follow. Written once per test process and copied after (0.05 s
    instead of 0.5-1.5 s of CPU a service, more while the run's vector cache is still empty); the
    copy is the written folder byte for byte, and each service gets its own (a test may rebuild
    it). A folder that holds one already is kept (a second instance serves the same output)."""
    from carebase.content import load_catalogue
    from carebase.output import open_output

    site_data = folder / "site-data"
    if site_data.exists():
        return site_data
    key = os.environ.get("CAREBASE_SEMANTIC")
    pristine = _written.get(key)
    if pristine is not None and pristine.exists():
        shutil.copytree(pristine, site_data)
        return site_data
    open_output(site_data, load_catalogue(REPO / "content"))
    # the run's own TMPDIR (tests/conftest.py): removed with it at the end of a passing run
    pristine = Path(tempfile.mkdtemp(prefix="learned-site-data-")) / "site-data"
    shutil.copytree(site_data, pristine)
    _written[key] = pristine
    return site_data


class LearningService:
    """``carebase service`` (subprocess) following the demo content's build output, behind
    --proxy-headers."""

    def __init__(self, db: Path, *extra: str, url: str | None = None, env: dict | None = None,
                 learning: bool = True, wait: bool = True):
        """``url``: the store's URL (a PostgreSQL database; default the SQLite file ``db``);
        ``env``: more environment for the service (a moved clock); ``learning=False``: a service
        that only stores (``--learn-every 0``: no learning worker, so no embedding model loaded
        for it), ready once it searches; ``wait=False``: returns once the service listens (its
        store migrated), and ``wait_ready()`` waits for the rest, so two services' model loads
        overlap."""
        self.db = db
        self.learning = learning
        site_data = site_data_in(db.parent)
        cmd = [sys.executable, "-m", "carebase", "service", "--port", "0", "--db", url or f"sqlite:///{db}",
               "--site-data", str(site_data), "--allowed-origin", SITE, "--token", TOKEN,
               "--proxy-headers", "--rate-limit", "0", "--learn-every", "0.3" if learning else "0", *extra]
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, "CI": "1", **(env or {})})
        self.http = None
        try:
            line = self.process.stdout.readline()
            if "listening on" not in line:
                self.process.kill()
                raise RuntimeError(f"service did not start: {line}{self.process.stderr.read()}")
            self.http = httpx.Client(base_url=line.split("listening on ", 1)[1].split()[0], timeout=30)
        except BaseException:
            self.stop()  # a service that failed to start is never left running
            raise
        self.n = 0
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        """Until the service searches and (when it learns) has a first snapshot learned. The
        learning worker runs at nice +10 (the service's requests come first) and its first
        refresh loads the embedding model (~1.5 s of CPU): with every core busy at nice 0 it
        gets a few % of a core, so it took 30 s with four busy loops on the 2 cores (7 s
        without). A bound on a failure only."""
        try:
            deadline = time.monotonic() + 180
            while not self._ready():
                if time.monotonic() > deadline:
                    raise RuntimeError("service did not become ready")
                time.sleep(0.1)
        except BaseException:
            self.stop()  # a service that failed to start is never left running
            raise

    def _ready(self) -> bool:
        try:
            return self.http.get("/api/v1/search", params={"q": "wifi"}).status_code == 200 and \
                (not self.learning or self.learned().get("ready", False))
        except httpx.TransportError:
            return False

    def auth(self) -> dict:
        return {"Authorization": f"Bearer {TOKEN}"}

    def learned(self, **params) -> dict:
        return self.http.get("/api/v1/learned", params=params, headers=self.auth()).json()

    def search(self, q: str) -> list[str]:
        r = self.http.get("/api/v1/search", params={"q": q, "limit": 10})
        assert r.status_code == 200, r.text
        return [h["id"] for h in r.json()["hits"]]

    def strong(self, q: str) -> list[str]:
        """The results ``q`` finds strongly (what the page lists above "Show weaker matches"):
        what teaching adds, where meaning alone may still list an item among the weaker ones."""
        r = self.http.get("/api/v1/search", params={"q": q, "limit": 10})
        assert r.status_code == 200, r.text
        return [h["id"] for h in r.json()["hits"] if h["strong"]]

    def journey(self, address: str, query: str, item: str, *, vote: int | None = None) -> str:
        """One journey from ``address``: the search, a result click on ``item``, maybe a vote
        (returns the journey's id)."""
        self.n += 1
        j = f"jrny{self.n:05d}"
        batch = [{"id": f"{j}-s", "type": "search", "query": query, "results": 3, "journey": j,
                  "source": "search-page"},
                 {"id": f"{j}-c", "type": "click", "query": query, "item": item, "rank": 2, "journey": j}]
        if vote is not None:
            batch.append({"id": f"{j}-v", "type": "vote", "item": item, "value": vote, "journey": j})
        r = self.http.post("/api/v1/events", content=json.dumps({"events": batch}),
                           headers={"Content-Type": "text/plain", "Origin": SITE, "X-Forwarded-For": address})
        assert r.status_code == 200, r.text
        return j

    def relearned(self) -> dict:
        """Wait for a refresh that started after now."""
        since = int(time.time() * 1000)
        deadline = time.monotonic() + 120  # a bound on a failure only: the wait ends at the refresh
        while time.monotonic() < deadline:
            snap = self.learned()
            if snap.get("ready") and snap["built_ms"] > since:
                return snap
            time.sleep(0.1)
        raise AssertionError("the service did not relearn")

    def worker_pid(self) -> int:
        """The learning worker, a child process of the service (Linux: /proc)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for task in Path(f"/proc/{self.process.pid}/task").iterdir():
                for child in (task / "children").read_text().split():
                    if b"carebase.learned.worker" in Path(f"/proc/{child}/cmdline").read_bytes():
                        return int(child)
            time.sleep(0.1)
        raise AssertionError("no learning worker process under the service")

    def stop(self) -> None:
        if self.http is not None:
            self.http.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
