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
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from site_testkit import FIXTURES
from web_testkit import free_port

from carebase.pages.search_shards import shard_key, stem

pytestmark = pytest.mark.slow  # real carebase build / serve subprocesses

CLI = [sys.executable, "-m", "carebase"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SEARCHABLE_S = 180  # until the service under `carebase serve` finds a saved article: a bound on a failure only


def test_build_writes_the_site_and_fails_strict_on_warnings(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project)
    # a content warning (unknown front-matter key) fails only with --strict
    page = project / "help" / "billing" / "refunds.md"
    page.write_text(page.read_text().replace("title: Refunds", "title: Refunds\ncolour: blue"))
    loose = subprocess.run(CLI + ["build", "-d", str(tmp_path / "out")], cwd=project,
                           capture_output=True, text=True, env=ENV, timeout=300)
    assert loose.returncode == 0, loose.stderr
    assert (tmp_path / "out" / "faq" / "billing" / "index.html").is_file()
    # not a terminal: quiet, the warning its only line (no progress, no MkDocs chatter), its file
    # named from where the command ran, as `carebase check` names it (it was help/'s billing/refunds.md)
    lines = loose.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("WARNING -  help/billing/refunds.md:3: colour:"), lines
    strict = subprocess.run(CLI + ["build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "out")],
                            capture_output=True, text=True, env=ENV, timeout=300)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert "strict" in strict.stderr


def test_build_without_config_is_a_usage_error(tmp_path):
    result = subprocess.run(CLI + ["build", "-f", str(tmp_path / "none.yml")], capture_output=True, text=True,
                            env=ENV, timeout=60)
    assert result.returncode == 2 and "no such file" in result.stderr


def _get(url: str, timeout: float = 60) -> str:
    return urllib.request.urlopen(url, timeout=timeout).read().decode()


def _search_ids(service_port: int, q: str) -> list[str]:
    """One poll of the service's search API: the hits' ids, then a pause of 0.5 s (120 polls a
    minute, under the API's per-client limit of 300 after a burst of 60; each poll is a search
    the service runs beside the rebuilt output's reload it waits for). A 429 waits its
    Retry-After and counts as no hits yet, as a well-behaved client would."""
    try:
        hits = [h["id"] for h in json.loads(_get(f"http://127.0.0.1:{service_port}/api/v1/search?q={q}"))["hits"]]
    except urllib.error.HTTPError as exc:
        if exc.code != 429:
            raise
        time.sleep(float(exc.headers.get("Retry-After") or 1))
        return []
    time.sleep(0.5)
    return hits


def _wait_for(url: str, needle: str, seconds: float) -> str:
    deadline, page = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            page = _get(url)
            if needle in page:
                return page
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not show {needle!r} within {seconds} s")


def _vote(service_port: int, site_port: int, event_id: str, item: str, page: str) -> tuple[int, dict]:
    body = json.dumps({"events": [{"id": event_id, "type": "vote", "value": 0, "item": item, "page": page}]})
    req = urllib.request.Request(f"http://127.0.0.1:{service_port}/api/v1/events", data=body.encode(),
                                 headers={"Content-Type": "text/plain;charset=UTF-8",
                                          "Origin": f"http://127.0.0.1:{site_port}"})
    try:
        with urllib.request.urlopen(req, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.slow
def test_serve_runs_site_and_service_and_a_new_article_is_votable_and_searchable_at_once(tmp_path):
    """Issue 13 item 11: the service under `carebase serve` follows the rebuilt build output,
    so an article written while serving takes votes (and is found) as soon as its page shows."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project)
    site_port, service_port = free_port(), free_port()
    db = tmp_path / "feedback.db"
    proc = subprocess.Popen(
        CLI + ["serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{site_port}",
               "--service-addr", f"127.0.0.1:{service_port}", "--db", f"sqlite:///{db}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**ENV, "TMPDIR": str(tmp_path)})
    site = f"http://127.0.0.1:{site_port}"
    try:
        _wait_for(f"{site}/faq/billing/", 'id="can-i-get-a-refund"', 120)
        assert _vote(service_port, site_port, "serve-test-0001", "faq:billing#can-i-get-a-refund",
                     "/faq/billing/") == (200, {"accepted": 1, "duplicates": 0})
        new = "article:billing/gift-cards"
        assert _vote(service_port, site_port, "serve-test-0002", new, "/billing/gift-cards/")[0] == 422

        (project / "help" / "billing" / "gift-cards.md").write_text(
            "---\ntitle: Gift cards\ncategory: billing\n---\n\nRedeem a zanzibarian gift card in the app.\n")
        _wait_for(f"{site}/billing/gift-cards/", "zanzibarian", 120)
        status, answer = _vote(service_port, site_port, "serve-test-0003", new, "/billing/gift-cards/")
        assert (status, answer) == (200, {"accepted": 1, "duplicates": 0})
        rows = sqlite3.connect(db).execute("select item_id, value from events where type = 'vote' "
                                           "order by received_ms").fetchall()
        assert rows == [("faq:billing#can-i-get-a-refund", 0), (new, 0)]
        # the service takes up the rebuilt output (a new index, the new texts embedded) in its own
        # process: a bound on a failure only, as the first build's 120 s (60 s ran out with 8
        # workers at load 40-52, benchmarks/RESULTS.md session 44 `suite`)
        deadline, hits = time.monotonic() + SEARCHABLE_S, []
        while time.monotonic() < deadline and new not in hits:  # the index follows the page
            hits = _search_ids(service_port, "zanzibarian")
        assert hits[:1] == [new]

        # an article saved again: its page and every page that lists it show the new title, the
        # site search and the service find it, and nothing else is rendered again
        site_dir = next(tmp_path.glob("mkdocs_*"))
        untouched = site_dir / "search" / "index.html"  # the search page lists no article
        before = untouched.stat().st_mtime_ns
        refunds = project / "help" / "billing" / "refunds.md"
        refunds.write_text(refunds.read_text().replace("title: Refunds", "title: Quibbling refunds"))
        for url in ("/billing/refunds/", "/billing/", "/", "/billing/invoices/"):  # page, category, home, aside
            _wait_for(f"{site}{url}", "Quibbling refunds", 60)
        meta = json.loads(_get(f"{site}/search/carebase/meta.json"))
        term = stem("quibbling")
        _wait_for(f"{site}/search/carebase/t-{shard_key(term, set(meta['split']))}.json", f'"{term}"', 60)
        deadline, hits = time.monotonic() + SEARCHABLE_S, []
        while time.monotonic() < deadline and hits[:1] != ["article:billing/refunds"]:
            hits = _search_ids(service_port, "quibbling")
        assert hits[:1] == ["article:billing/refunds"]
        assert untouched.stat().st_mtime_ns == before  # not a full build
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
