"""`carebase build` and `carebase serve` as a writer runs them (real subprocesses, real ports)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from site_testkit import FIXTURES
from web_testkit import free_port

pytestmark = pytest.mark.slow  # real carebase build / serve subprocesses

CLI = [sys.executable, "-m", "carebase"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def test_build_writes_the_site_and_fails_strict_on_warnings(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project)
    result = subprocess.run(CLI + ["build", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "out")],
                            capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "faq" / "billing" / "index.html").is_file()
    assert result.stderr == ""  # not a terminal: quiet
    # a content warning (unknown front-matter key) fails only with --strict
    page = project / "help" / "billing" / "refunds.md"
    page.write_text(page.read_text().replace("title: Refunds", "title: Refunds\ncolour: blue"))
    loose = subprocess.run(CLI + ["build", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "out")],
                           capture_output=True, text=True, env=ENV, timeout=300)
    assert loose.returncode == 0 and "billing/refunds.md:3" in loose.stderr
    strict = subprocess.run(CLI + ["build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "out")],
                            capture_output=True, text=True, env=ENV, timeout=300)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert "strict" in strict.stderr


def test_build_without_config_is_a_usage_error(tmp_path):
    result = subprocess.run(CLI + ["build", "-f", str(tmp_path / "none.yml")], capture_output=True, text=True,
                            env=ENV, timeout=60)
    assert result.returncode == 2 and "no such file" in result.stderr


@pytest.mark.slow
def test_serve_runs_site_and_feedback_service_together(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project)
    site_port, service_port = free_port(), free_port()
    db = tmp_path / "feedback.db"
    proc = subprocess.Popen(
        CLI + ["serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{site_port}",
               "--service-addr", f"127.0.0.1:{service_port}", "--db", f"sqlite:///{db}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    try:
        deadline = time.monotonic() + 120
        page = None
        while time.monotonic() < deadline:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{site_port}/faq/billing/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert page and 'id="can-i-get-a-refund"' in page
        body = json.dumps({"events": [{"id": "serve-test-0001", "type": "vote", "value": 0,
                                        "item": "faq:billing#can-i-get-a-refund", "page": "/faq/billing/"}]})
        req = urllib.request.Request(f"http://127.0.0.1:{service_port}/api/v1/events", data=body.encode(),
                                     headers={"Content-Type": "text/plain;charset=UTF-8",
                                              "Origin": f"http://127.0.0.1:{site_port}"})
        answer = json.loads(urllib.request.urlopen(req, timeout=10).read())
        assert answer["accepted"] == 1
        rows = sqlite3.connect(db).execute("select item_id, value from events where type = 'vote'").fetchall()
        assert rows == [("faq:billing#can-i-get-a-refund", 0)]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
