"""`carebase init DIR` as a newcomer runs it: a new folder that checks clean, builds with
--strict, and serves with the feedback service; an existing folder is never overwritten."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from cli_testkit import run_carebase
from web_testkit import free_port

CLI = [sys.executable, "-m", "carebase"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def carebase(*args, cwd) -> subprocess.CompletedProcess:
    return run_carebase(*args, cwd=cwd, env=ENV)


def test_init_writes_a_help_centre_that_checks_clean_and_names_the_next_steps(tmp_path):
    done = carebase("init", "my-help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "my-help"
    assert "cd my-help" in done.stdout and "carebase serve" in done.stdout
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_name: My Help Help Centre" in config and "site_url: https://" in config
    for rel in ("content/categories.yml", "content/synonyms.yml", "content/faq/account.yml",
                "content/videos/tour.yml", "content/getting-started/first-steps.md", ".gitignore"):
        assert (site / rel).is_file(), rel
    check = carebase("check", "--strict", "--format", "json", cwd=site)
    assert check.returncode == 0, check.stdout + check.stderr
    report = json.loads(check.stdout)
    assert report["problems"] == []
    assert report["items"]["articles"] == 1 and report["items"]["videos"] == 1


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = carebase("init", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2
    assert f"{tmp_path} is not empty; nothing was written" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    named = carebase("init", "notes.txt", "--site-name", "Acme", cwd=tmp_path)
    assert named.returncode == 2 and "notes.txt is a file" in named.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert carebase("init", "empty", "--site-name", "Acme: Support", cwd=tmp_path).returncode == 0
    assert "site_name: 'Acme: Support'" in (empty / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_init_then_build_strict_then_serve_in_that_folder(tmp_path):
    """The newcomer's path: init, a strict build, then `carebase serve` in the new folder,
    whose output shows a content problem at file:line after an edit, without MkDocs' list of
    pages "not included in the nav"."""
    assert carebase("init", "mysite", cwd=tmp_path).returncode == 0
    site = tmp_path / "mysite"
    build = subprocess.run(CLI + ["build", "--strict"], cwd=site, capture_output=True, text=True, env=ENV, timeout=300)
    assert build.returncode == 0, build.stderr
    for page in ("index.html", "getting-started/first-steps/index.html", "faq/account/index.html",
                 "videos/tour/index.html", "manifest.json"):
        assert (site / "site" / page).is_file(), page
    # one search, carebase's, as in the demo: its header box (suggestions, the service's ranking)
    # on the pages, not Material's lunr box, index and bundle (the starter once kept them)
    for page in ("getting-started/first-steps/index.html", "404.html"):
        html = (site / "site" / page).read_text(encoding="utf-8")
        assert 'id="cb-header-q"' in html and "md-search__input" not in html, page
    assert not (site / "site" / "search" / "search_index.json").exists()
    # light or dark as the customer's system is, as the demo (a dark phone once got the light site)
    html = (site / "site" / "getting-started/first-steps/index.html").read_text(encoding="utf-8")
    assert 'data-md-color-media="(prefers-color-scheme: dark)"' in html and 'data-md-color-scheme="slate"' in html
    site_port, service_port = free_port(), free_port()
    proc = subprocess.Popen(CLI + ["serve", "-a", f"127.0.0.1:{site_port}", "--service-addr", f"127.0.0.1:{service_port}"],
                            cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    shown: list[str] = []
    reader = threading.Thread(target=lambda: shown.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        page = _get_when_up(f"http://127.0.0.1:{site_port}/faq/account/", proc, shown)
        assert 'id="reset-password"' in page and "How do I reset my password?" in page
        # the page's widget, search and contact reach the service started on --service-addr, not
        # mkdocs.yml's 127.0.0.1:8001 (a closed port here, or another program's)
        assert f"http://127.0.0.1:{service_port}/feedback" in page and "127.0.0.1:8001" not in page
        body = json.dumps({"events": [{"id": "init-test-0001", "type": "vote", "value": 1,
                                        "item": "faq:account#reset-password", "page": "/faq/account/"}]})
        request = urllib.request.Request(f"http://127.0.0.1:{service_port}/api/v1/events", data=body.encode(),
                                         headers={"Content-Type": "text/plain;charset=UTF-8",
                                                  "Origin": f"http://127.0.0.1:{site_port}"})
        assert json.loads(urllib.request.urlopen(request, timeout=60).read())["accepted"] == 1
        rows = sqlite3.connect(site / "feedback.db").execute("select item_id, value from events").fetchall()
        assert rows == [("faq:account#reset-password", 1)]

        article = site / "content" / "getting-started" / "first-steps.md"
        article.write_text(article.read_text(encoding="utf-8").replace("tags: [start]", "tags: [start]\ncolour: blue"),
                           encoding="utf-8")
        _wait_for(lambda: sum("Documentation built" in line for line in shown) >= 2, proc, shown)
        output = "".join(shown)
        assert "getting-started/first-steps.md:5: colour: expected a known field" in output, output
        assert "not included in the" not in output and "  - getting-started/first-steps.md" not in output, output
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_for(condition, proc: subprocess.Popen, shown: list[str], timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            pytest.fail(f"carebase serve exited with {proc.returncode}: {''.join(shown)}")
        time.sleep(0.2)
    pytest.fail(f"carebase serve did not get there within {timeout} s: {''.join(shown)}")


def _get_when_up(url: str, proc: subprocess.Popen, shown: list[str]) -> str:
    pages: list[str] = []

    def answered() -> bool:
        try:
            pages.append(urllib.request.urlopen(url, timeout=5).read().decode())
            return True
        except OSError:
            return False

    _wait_for(answered, proc, shown)
    return pages[0]
