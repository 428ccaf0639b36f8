"""Helpers shared by the report tests (imported by name: every test folder has its own conftest)."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import create_engine

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "benchmarks") not in sys.path:
    sys.path.insert(0, str(REPO / "benchmarks"))

from simulate_events import DAY_MS  # noqa: E402

from carebase.store.schema import metadata  # noqa: E402

START_MS = 20_400 * DAY_MS  # 2025-11-08, a fixed day: the tests do not depend on the clock


def empty_engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'events.db'}")
    metadata.create_all(engine)
    return engine


XSS_COMMENT = '<script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = \'img\'">'
XSS_QUERY = '<img src=x onerror="window.__pwned=\'query\'"> thermostat'
FORMULA_COMMENT = '=HYPERLINK("http://evil.example/","click me")'


def run_cli(*args: str, env: dict | None = None, in_process: bool = False):
    """``carebase report ARGS`` in a subprocess, or in this process (``cli_testkit.run_carebase``,
    for quick usage-error cases)."""
    import os
    import subprocess

    environment = {**os.environ, "CI": "1", **(env or {})}
    if in_process:
        from cli_testkit import run_carebase

        return run_carebase("report", *args, cwd=REPO, env=environment)
    return subprocess.run([sys.executable, "-m", "carebase", "report", *args], capture_output=True, text=True,
                          cwd=REPO, env=environment, timeout=900)  # a bound on a hang only
