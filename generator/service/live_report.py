"""The live report's model, kept fresh in the background: ``carebase report`` itself, run by
the service.

The report model (``carebase.report.build``, the same code as the static files) is built
by a child process — ``python -m carebase report --format json --days N`` on the service's
own database and build output — so the service's event loop and writer never wait for it and it
uses the other core. Its ``report.json`` lands in ``<report dir>/<N>d/`` (written whole, then
renamed), and requests read the newest one (parsed once per file). One build runs at a time:

* nothing is built until someone asks: a service nobody opens /report on never runs a
  build (every test and preview service would otherwise pay for one at start-up);
* a period with no model yet is built when first asked for; a model older than ``every``
  seconds is served at once and built again behind it; every ``every`` seconds the periods
  someone looked at in the last day are built again;
* ``refresh(days)`` (the page's "Refresh now", a decision that changes what the report
  suggests) queues one at once.

The page says how old the data is and whether a build is running; a failed build keeps the
previous model and shows the reason.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from carebase.report.links import browser_links

log = logging.getLogger("carebase.service")

PERIODS = (7, 28, 90)
DEFAULT_DAYS = 28
WANTED_FOR_S = 86_400  # a period looked at is kept fresh for a day
BUILD_TIMEOUT_S = 1_800


def default_folder(database_url: str) -> Path:
    """Where the live report keeps its models when ``--report-dir`` is not given: a folder
    of the system's temporary directory named after the database (so two services on two
    databases never share one)."""
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"carebase-live-report-{digest}"


@dataclass
class Status:
    built_ms: int | None  # when the model on disk was written
    building: bool
    started_s: float | None  # monotonic start of the running build
    error: str | None  # why the last build failed (the previous model is kept)


class LiveReports:
    def __init__(self, config, *, every: float | None = None):
        self.config = config
        self.folder = Path(config.report_dir) if config.report_dir else default_folder(config.database_url)
        self.every = config.report_every if every is None else every
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        # keys: (days, language) — "" for the default language (see ``carebase report --lang``)
        self._queue: list[tuple[int, str]] = []
        self._asked: dict[tuple[int, str], float] = {}
        self._models: dict[tuple[int, str], tuple[float, dict]] = {}
        self._errors: dict[tuple[int, str], str] = {}
        self._failed_at: dict[tuple[int, str], float] = {}  # a period's last failed build (not retried on every view)
        self._building: tuple[int, str] | None = None
        self._started: float | None = None
        self._child: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self.builds = 0

    @property
    def enabled(self) -> bool:
        """Built only for a service with a build output to report on and a token to show it
        with (every route of the live report needs the token)."""
        return bool(self.config.site_data and self.config.token)

    # -- the models ---------------------------------------------------------------------
    def path(self, days: int, lang: str = "") -> Path:
        return self.folder / (f"{days}d-{lang}" if lang else f"{days}d") / "report.json"

    def model(self, days: int, lang: str = "") -> dict | None:
        """The newest model of a period (None before its first build) in a language (``lang``:
        "" for the default one); asking keeps it fresh."""
        key = (days, lang)
        self._asked[key] = time.monotonic()
        path = self.path(days, lang)
        try:
            mtime = path.stat().st_mtime
        except OSError:
            self.refresh(days, lang, only_if_missing=True)
            return None
        failed = self._failed_at.get(key)
        if self.every > 0 and time.time() - mtime > self.every and (failed is None or time.monotonic() - failed > self.every):
            self.refresh(days, lang)  # kept from before (a restart, a quiet day): served now, rebuilt behind
        cached = self._models.get(key)
        if cached is None or cached[0] != mtime:
            try:
                model = browser_links(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                log.warning("live report: cannot read %s (%s)", path, exc)
                return cached[1] if cached else None
            cached = self._models[key] = (mtime, model)
        return cached[1]

    def status(self, days: int, lang: str = "") -> Status:
        key = (days, lang)
        try:
            built = int(self.path(days, lang).stat().st_mtime * 1000)
        except OSError:
            built = None
        building = self._building == key or key in self._queue
        return Status(built, building, self._started if self._building == key else None, self._errors.get(key))

    def refresh(self, days: int, lang: str = "", *, only_if_missing: bool = False) -> None:
        if not self.enabled:
            return
        self._start_thread()
        key = (days, lang)
        with self._lock:
            if key in self._queue or self._building == key:
                return
            if only_if_missing and self.path(days, lang).exists():
                return
            self._queue.append(key)
        self._wake.set()

    # -- the builder thread ---------------------------------------------------------------
    def start(self) -> None:
        """Nothing to do until a period is asked for (the builder thread starts then)."""

    def _start_thread(self) -> None:
        with self._lock:
            if self._thread is not None or self._stop.is_set():
                return
            self._thread = threading.Thread(target=self._run, name="carebase-live-report", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        child = self._child
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout)
            except subprocess.TimeoutExpired:
                child.kill()
        if self._thread is not None:
            self._thread.join(timeout)

    def _due(self) -> list[tuple[int, str]]:
        now = time.monotonic()
        return [d for d, at in sorted(self._asked.items()) if now - at < WANTED_FOR_S]

    def _run(self) -> None:
        last_round = time.monotonic()
        while not self._stop.is_set():
            self._wake.wait(timeout=self.every if self.every > 0 else None)
            self._wake.clear()
            if self.every > 0 and time.monotonic() - last_round >= self.every:
                last_round = time.monotonic()
                for days, lang in self._due():
                    self.refresh(days, lang)
            while not self._stop.is_set():
                with self._lock:
                    if not self._queue:
                        break
                    key = self._building = self._queue.pop(0)
                self._started = time.monotonic()
                try:
                    self._build(*key)
                finally:
                    with self._lock:
                        self._building, self._started = None, None

    def command(self, days: int, lang: str = "") -> list[str]:
        cfg = self.config
        out = self.path(days, lang).parent
        cmd = [sys.executable, "-m", "carebase", "report", "--site-data", str(cfg.site_data), "--out", str(out),
               "--format", "json", "--days", str(days), "--cache", str(self.folder / ".cache")]
        if lang:
            cmd += ["--lang", lang]
        if cfg.edit_url:
            cmd += ["--edit-url", cfg.edit_url]
        return cmd

    def _build(self, days: int, lang: str = "") -> None:
        key = (days, lang)
        self.folder.mkdir(parents=True, exist_ok=True)
        from carebase.children import child_env

        env = child_env({**os.environ, "CI": "1", "CAREBASE_DATABASE_URL": self.config.database_url})
        env.pop("CAREBASE_DEBUG", None)
        started = time.monotonic()
        try:
            self._child = subprocess.Popen(self.command(days, lang), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                           env=env, text=True)
            _, stderr = self._child.communicate(timeout=BUILD_TIMEOUT_S)
            code = self._child.returncode
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.communicate()
            code, stderr = -1, f"the build took longer than {BUILD_TIMEOUT_S} s and was stopped"
        except OSError as exc:
            code, stderr = -1, str(exc)
        finally:
            self._child = None
        if self._stop.is_set():
            return
        self.builds += 1
        if code == 0:
            self._errors.pop(key, None)
            self._failed_at.pop(key, None)
            log.info("live report: %d days%s built in %.1f s", days, f" ({lang})" if lang else "",
                     time.monotonic() - started)
            return
        lines = [line for line in (stderr or "").splitlines() if line.strip()]
        failure = [line for line in lines if "content problem" not in line] or lines or [f"exit code {code}"]
        self._errors[key] = failure[-1][:300]
        self._failed_at[key] = time.monotonic()
        log.warning("live report: the %d-day build%s failed: %s", days, f" ({lang})" if lang else "", self._errors[key])
