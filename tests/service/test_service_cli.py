"""``carebase service`` start-up: where it listens, environment variables, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_testkit import run_carebase
from service_testkit import Service

pytestmark = pytest.mark.slow  # a carebase service subprocess per case


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    # the timeout only bounds a hang: each case ends on its own (an error before the server runs),
    # in about 0.3-1 s of CPU; a loaded 2-core machine has taken 29 s of wall time for one
    return subprocess.run([sys.executable, "-m", "carebase", "service", *args], capture_output=True, text=True,
                          timeout=180, env={**os.environ, **(env or {})})


def test_environment_variables_configure_the_service(tmp_path, site_data):
    db = tmp_path / "env.db"
    service = Service([], f"sqlite:///{db}", env={
        "CAREBASE_ALLOWED_ORIGINS": "https://help.example.com, http://site.test",
        "CAREBASE_SITE_DATA": str(site_data), "CAREBASE_TOKEN": "envtoken",
    })
    try:
        assert service.url.startswith("http://127.0.0.1:")
        preflight = service.client.options("/api/v1/events", headers={
            "Origin": "https://help.example.com", "Access-Control-Request-Method": "POST"})
        assert preflight.headers.get("access-control-allow-origin") == "https://help.example.com"
        unknown = service.client.post("/api/v1/events", json={"events": [
            {"id": "cli-000001", "type": "vote", "item": "article:nope", "value": 1}]})
        assert unknown.status_code == 422  # the build output from the environment is enforced
        assert service.client.get("/api/v1/export", headers={"Authorization": "Bearer envtoken"}).status_code == 200
    finally:
        service.stop()
    assert db.exists()


def test_bad_settings_fail_with_a_clear_message_and_no_traceback(tmp_path):
    cases = [
        (["--allowed-origin", "help.example.com"], 2, "expected scheme://host"),
        (["--db", "mysql://x/y"], 1, "expected sqlite:///PATH or postgresql"),
        (["--db", "sqlite:////no/such/dir/f.db"], 1, "does not exist"),
        (["--site-data", str(tmp_path / "nothing")], 1, "no build output here (run 'carebase build'"),
        (["--rate-limit", "-1"], 2, "--rate-limit"),
    ]
    # Each case stops before the service binds a port, so the command runs in this process
    # (cli_testkit.run_carebase: a traceback would fail the test as an exception) except one, a
    # real process whose exit code and stderr are the user's: a Python start with the service's
    # imports; four fewer of them: 6.1 -> 5.0 s of CPU for `pytest -k bad_settings` (collection included)
    for n, (args, code, words) in enumerate(cases):
        argv = ("--port", "0", "--db", f"sqlite:///{tmp_path / 'x.db'}", *args)
        result = run_cli(*argv) if n == 2 else run_carebase("service", *argv)
        assert result.returncode == code, (args, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_port_in_use_is_reported_at_once_before_the_start_up(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("--port", str(port), "--db", f"sqlite:///{tmp_path / 'x.db'}",
                         "--site-data", str(tmp_path / "nothing"))
    assert result.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr, result.stderr
    # the port is tried first: neither the build output (missing here) nor the store was opened
    assert "no build output" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_bad_number_in_the_environment_is_a_usage_error_not_a_traceback(tmp_path):
    result = run_cli("--db", f"sqlite:///{tmp_path / 'x.db'}", env={"CAREBASE_PORT": "eighty"})
    assert result.returncode == 2 and "invalid int value: 'eighty'" in result.stderr
    assert "Traceback" not in result.stderr
    help_text = subprocess.run([sys.executable, "-m", "carebase", "--help"], capture_output=True, text=True,
                               env={**os.environ, "CAREBASE_PORT": "eighty"})
    assert help_text.returncode == 0  # other commands are not affected
