"""`carebase serve` shows a content problem in the page the writer has open: the file, line,
field, the lines around it and what to do, over the last good site, and takes it away by
itself once the file is fixed (carebase.cli._preview_board, carebase/cli/preview_problems.js,
carebase.plugins.site.kept). A real `carebase serve --strict` of a `carebase init` help centre
on 127.0.0.1, headless Chromium, the files broken and fixed as an editor saves them.

Before: a broken FAQ file took its page out of the preview (the page the writer had open
reloaded onto a 404), a --strict warning left the server stuck (every request waited for a
build that never came), and the problem was said only in the terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from web_testkit import describe, free_port, page_factory, run_axe

pytestmark = pytest.mark.browser

CLI = [sys.executable, "-m", "carebase"]
BANNER = "#carebase-preview-problems"
SHOTS = os.environ.get("CAREBASE_SHOTS")  # a folder to keep the screenshots in (to look at them)


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@pytest.fixture
def serving(tmp_path):
    """A new help centre (`carebase init`) served by `carebase serve --strict --no-service`."""
    from carebase.cli import main

    assert main(["init", str(tmp_path / "site")]) == 0
    project = tmp_path / "site"
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp_path), "CAREBASE_SEMANTIC": "0"}
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen(CLI + ["serve", "--strict", "--no-service", "-a", f"127.0.0.1:{port}"], cwd=project,
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    site = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{site}/faq/account/", 180)
        yield project, site, tmp_path / "serve.log"
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _shot(page, name: str, tmp_path: Path) -> Path:
    target = Path(SHOTS or tmp_path) / f"banner-{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    return target


def _banner_text(page) -> str:
    return page.locator(f"{BANNER} .box").inner_text()  # in its shadow root (Playwright pierces it)


def test_a_content_problem_shows_in_the_open_page_over_the_last_site_and_goes_away_once_fixed(
        serving, shared_chromium, tmp_path):
    project, site, log = serving
    faq = project / "content" / "faq" / "account.yml"
    article = project / "content" / "getting-started" / "first-steps.md"
    good_faq, good_article = faq.read_text(encoding="utf-8"), article.read_text(encoding="utf-8")
    with page_factory(shared_chromium) as make:
        page = make(viewport={"width": 1280, "height": 800})
        page.goto(f"{site}/faq/account/", wait_until="load")
        page.wait_for_function("window.__carebaseProblems === true")
        assert page.locator(BANNER).count() == 0
        page.evaluate("window.__sameDocument = 'yes'")  # gone if the page reloads

        # 1. YAML that does not parse: the change is not applied, the page is not reloaded
        _save(faq, good_faq.replace("questions:\n", "questions: [oops\n"))
        page.wait_for_selector(BANNER, timeout=120_000)
        text = _banner_text(page)
        line = good_faq.splitlines().index("questions:") + 2  # the parser stops on the next line
        assert f"content/faq/account.yml:{line}" in text, text
        assert "expected valid YAML" in text and "This change was not applied" in text, text
        assert "questions: [oops" in text  # the lines around it
        assert "then save: this page updates by itself" in text
        assert page.evaluate("window.__sameDocument") == "yes"
        assert "How do I reset my password?" in page.locator("article").inner_text()  # the last site
        with urllib.request.urlopen(f"{site}/faq/account/", timeout=30) as answer:  # still served
            assert answer.status == 200
        _shot(page, "1-yaml", tmp_path)
        violations = run_axe(page, context=BANNER)  # WCAG 2.2 A/AA in its shadow root (contrast, roles)
        assert not violations, describe(violations)
        page.emulate_media(color_scheme="dark")  # its dark palette (the system's)
        violations = run_axe(page, context=BANNER, colours_only=True)
        assert not violations, describe(violations)
        page.emulate_media(color_scheme="light")

        # fixed: the banner goes away by itself, the page shows the site again
        _save(faq, good_faq)
        page.wait_for_selector(BANNER, state="detached", timeout=120_000)
        page.wait_for_function("window.__carebaseProblems === true")
        assert "How do I reset my password?" in page.locator("article").inner_text()

        # 2. a bad front-matter field, seen from the article's own page
        page.goto(f"{site}/getting-started/first-steps/", wait_until="load")
        # (the content's text is shown as text: markup in it is never run)
        hostile = "<img src=x onerror=window.__ran=1>perhaps"
        _save(article, good_article.replace("tags: [start]\n", f"tags: [start]\ndraft: '{hostile}'\n"))
        page.wait_for_selector(BANNER, timeout=120_000)
        text = _banner_text(page)
        assert "content/getting-started/first-steps.md:5" in text and "draft" in text, text
        assert hostile in text and "Your first steps" in page.locator("article").inner_text()
        assert page.evaluate("window.__ran") is None
        _shot(page, "2-front-matter", tmp_path)
        _save(article, good_article)
        page.wait_for_selector(BANNER, state="detached", timeout=120_000)

        # 3. under --strict a link to a heading that does not exist (a warning) fails the build too
        _save(article, good_article + "\nSee [the steps](#no-such-heading).\n")
        page.wait_for_selector(BANNER, timeout=120_000)
        text = _banner_text(page)
        assert "content/getting-started/first-steps.md:" in text and "no-such-heading" in text, text
        assert "carebase serve: 1 warning" in text and "error" not in text.lower(), text
        _shot(page, "3-strict-anchor", tmp_path)
        violations = run_axe(page, context=BANNER)  # the warnings' palette
        assert not violations, describe(violations)
        _save(article, good_article)
        page.wait_for_selector(BANNER, state="detached", timeout=120_000)
        assert "Your first steps" in page.locator("article").inner_text()
    served = log.read_text(encoding="utf-8")
    assert "Traceback" not in served and "appear stuck" not in served, served


def test_hide_lasts_across_reloads_of_the_page_until_the_problems_change(serving, shared_chromium):
    """Reader 46 (R5's note): "Hide" was kept in the page's script, so a reload of the page (a
    save rendered in place reloads the open page) showed the hidden banner again with the same
    problems. Now it lasts, in the tab, until the problems change."""
    project, site, _ = serving
    faq = project / "content" / "faq" / "account.yml"
    article = project / "content" / "getting-started" / "first-steps.md"
    good_faq, good_article = faq.read_text(encoding="utf-8"), article.read_text(encoding="utf-8")
    with page_factory(shared_chromium) as make:
        page = make(viewport={"width": 1280, "height": 800})
        page.goto(f"{site}/faq/account/", wait_until="load")
        page.wait_for_function("window.__carebaseProblems === true")
        _save(faq, good_faq.replace("questions:\n", "questions: [oops\n"))
        page.wait_for_selector(BANNER, timeout=120_000)
        page.locator(f"{BANNER} button", has_text="Hide").click()
        assert page.locator(BANNER).count() == 0

        for _ in range(2):  # reloaded, with the same problems: still hidden
            page.reload(wait_until="load")
            page.wait_for_function("window.__carebaseProblems === true")
            page.wait_for_timeout(2500)  # the board answers a new page at once
            assert page.locator(BANNER).count() == 0

        # the problems change (a second file breaks): shown again, and after a reload too
        _save(article, good_article.replace("tags: [start]\n", "tags: [start]\ndraft: perhaps\n"))
        page.wait_for_selector(BANNER, timeout=120_000)
        page.wait_for_function("document.querySelector('#carebase-preview-problems')"
                               ".shadowRoot.textContent.includes('first-steps.md')", timeout=120_000)
        page.reload(wait_until="load")
        page.wait_for_selector(BANNER, timeout=30_000)
        assert "content/faq/account.yml" in _banner_text(page)

        _save(faq, good_faq)
        _save(article, good_article)
        page.wait_for_selector(BANNER, state="detached", timeout=120_000)
