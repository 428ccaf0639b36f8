"""The content fuzz corpus through the real commands: ``carebase check`` and one
``carebase build --strict`` (MkDocs writes the whole site, then fails on the problems).

What a writer or a customer would notice: every problem is one ``path:line: field: …``
line and never a traceback; nothing from outside the content folder and nothing of an item
with an error reaches any file of the site; every title, summary, tag, chapter, category
and configured reason shows as the text it is, and no script the content wrote runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hostile_content_testkit import HOSTILE, LEFT_OUT, OUTSIDE, write_corpus
from tiers_testkit import real_build

CHECK_LINE = re.compile(r"^(?P<path>[^\s:][^\n]*?)(?::(?P<line>\d+))?: (?:(?P<field>[\w.\[\]]+): )?"
                        r"(?P<message>expected .+) \[(?:error|warning)\]$")
LOG_LINE = re.compile(r"^(?:ERROR|WARNING) +- +(?P<path>[^\s:][^\n]*?)(?::\d+)?: (?:[\w.\[\]]+: )?expected .+$")


def _carebase(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "true"}
    return subprocess.run([sys.executable, "-m", "carebase", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
@real_build
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("hostile-content"))


@pytest.fixture(scope="module")
@real_build
def checked(corpus):
    return _carebase("check", "content", cwd=corpus.project)


@pytest.fixture(scope="module")
@real_build
def built(corpus):
    site = corpus.project / "site"
    result = _carebase("build", "--strict", "-d", str(site), cwd=corpus.project)
    return result, site


def _site_files(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file() or path.is_symlink():
            yield path


def _pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path, BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_check_names_every_problem_on_one_line(checked):
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr
    assert "\x1b" not in checked.stdout  # a file name's escape sequence is shown, never sent to the terminal
    lines = checked.stdout.split("\n\n")[0].splitlines()
    bad = [line for line in lines if not CHECK_LINE.match(line)]
    assert not bad, bad
    paths = {CHECK_LINE.match(line)["path"] for line in lines}
    for refused in ("billing/linked.md", "videos/media/secret.vtt", "videos/media/captions.vtt",
                    "videos/media/thumb.png", "videos/media/film.webm", "billing/diagram.png", "notes.txt",
                    "dangling.txt", "billing/pipe.md", "billing/nul.md", "billing/latin1.md", "faq/deep.yml",
                    "billing/javascript:alert(1).md", "billing/esc\\x1b[31mred.md"):
        assert f"content/{refused}" in paths, refused
    text = checked.stdout
    assert re.search(r"^content/videos/linked-transcript\.yml:3: transcript: expected .*outside the content folder",
                     text, re.M)
    assert re.search(r"^content/videos/dotdot\.yml:3: transcript: expected .*leads out of the content folder", text, re.M)
    assert re.search(r"^content/videos/linked-media\.yml:2: source: expected .*outside the content folder", text, re.M)
    assert re.search(r"^content/billing/links-out\.md:4: body: expected .*diagram\.png.*outside", text, re.M)
    assert re.search(r"^content/billing/huge\.md: size: expected ≤ 64 KB \(an article; limits\.article\.error\), "
                     r"found 7\d KB", text, re.M)
    assert re.search(r"^content/billing/long\.md: size: expected ≤ 8 KB .*\[warning\]$", text, re.M)
    assert re.search(r"^content/videos/media/huge\.vtt: size: expected ≤ 64 KB", text, re.M)
    assert re.search(r"^content/videos/huge-transcript\.yml:3: transcript: expected .*over the size limit", text, re.M)
    assert "Items with errors are left out of the site" in text


def test_strict_build_fails_naming_each_problem_once(built, checked):
    result, site = built
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    logged = [line for line in result.stderr.splitlines() if line.startswith(("ERROR", "WARNING"))]
    content = [line for line in logged if LOG_LINE.match(line)]
    assert len(content) == len(checked.stdout.split("\n\n")[0].splitlines())  # the same problems as check
    assert (site / "index.html").is_file()  # --strict fails after writing: the site is there to inspect


def test_nothing_from_outside_the_content_folder_reaches_the_site(built):
    _, site = built
    leaks = [str(p.relative_to(site)) for p in _site_files(site)
             if p.is_symlink() or OUTSIDE.encode() in p.read_bytes()]
    assert not leaks
    assert not (site / "notes.txt").exists() and not (site / "billing" / "diagram.png").exists()


def test_items_with_errors_are_left_out_everywhere(built, corpus):
    _, site = built
    leaks = [str(p.relative_to(site)) for p in _site_files(site) if LEFT_OUT.encode() in p.read_bytes()]
    assert not leaks
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))["items"]
    assert corpus.kept_ids <= set(manifest)
    assert not corpus.left_out_ids & set(manifest)
    assert not (site / "billing" / "broken-related").exists() and not (site / "faq" / "group-error").exists()
    assert "faq/half/" in (site / "sitemap.xml").read_text("utf-8")
    assert "broken-related" not in (site / "sitemap.xml").read_text("utf-8")


def test_no_script_the_content_wrote_exists_in_any_page(built):
    _, site = built
    found = []
    for path, soup in _pages(site):
        for script in soup.find_all("script"):
            kind = script.get("type", "")
            if kind == "application/ld+json":
                json.loads(script.string)  # parses whole: nothing ended it early
            elif "alert" in (script.string or ""):
                found.append((path.name, str(script)[:80]))
        for tag in soup.find_all(True):
            found += [(path.name, tag.name, a) for a in tag.attrs if a.lower().startswith("on")]
        found += [(path.name, str(img)) for img in soup.find_all("img", src="x")]
    assert not found


def _text(soup, selector: str) -> str:
    node = soup.select_one(selector)
    assert node is not None, selector
    return node.get_text()


def _ld(soup, kind: str) -> dict:
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


def test_titles_are_text_in_every_place_a_page_shows_them(built, corpus):
    _, site = built
    article = corpus.titles["article:billing/hostile"]
    soup = BeautifulSoup((site / "billing" / "hostile" / "index.html").read_text("utf-8"), "html.parser")
    assert _text(soup, "title") == f"{article} - Hostile help"
    assert _text(soup, "article h1") == article
    assert _text(soup, ".md-header__topic[data-md-component=header-topic] .md-ellipsis").strip() == article
    assert soup.select_one('meta[property="og:title"]')["content"] == article
    assert soup.select_one('meta[name="description"]')["content"] == "Summary " + HOSTILE
    assert _text(soup, ".cb-breadcrumbs [aria-current=page]") == article
    assert _ld(soup, "BreadcrumbList")["itemListElement"][-1]["name"] == article
    assert _ld(soup, "BreadcrumbList")["itemListElement"][1]["name"] == "Billing " + HOSTILE
    assert _text(soup, ".cb-lead") == "Summary " + HOSTILE
    assert _text(soup, ".cb-reason label") == "Reason " + HOSTILE
    assert any(a.get_text().strip() == "Billing " + HOSTILE for a in soup.select(".md-nav a"))

    video = corpus.titles["video:hostile"]
    soup = BeautifulSoup((site / "videos" / "hostile" / "index.html").read_text("utf-8"), "html.parser")
    assert _text(soup, "article h1") == video  # no stray backslashes
    assert _text(soup, "title") == f"{video} - Hostile help"
    assert _ld(soup, "VideoObject")["name"] == video
    assert _ld(soup, "VideoObject")["hasPart"][0]["name"] == "Chapter " + HOSTILE
    assert _text(soup, ".cb-chapters li a").endswith("Chapter " + HOSTILE)

    soup = BeautifulSoup((site / "faq" / "hostile" / "index.html").read_text("utf-8"), "html.parser")
    assert _text(soup, "article h1") == corpus.titles["faq:hostile"]
    assert _text(soup, "#hostile summary") == corpus.titles["faq:hostile#hostile"]
    assert _ld(soup, "FAQPage")["mainEntity"][0]["name"] == corpus.titles["faq:hostile#hostile"]

    soup = BeautifulSoup((site / "billing" / "index.html").read_text("utf-8"), "html.parser")
    assert _text(soup, "article h1") == "Billing " + HOSTILE
    assert _text(soup, ".cb-lead") == "Desc " + HOSTILE
    titles = {a.get_text() for a in soup.select(".cb-list a")} | {h.get_text() for h in soup.select(".cb-card__title")}
    assert {article, corpus.titles["faq:hostile"], video} <= titles


def test_search_records_hold_titles_as_text(built, corpus):
    _, site = built
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    shown = {BeautifulSoup(d["title"], "html.parser").get_text() for d in docs}  # Material shows them as HTML
    assert set(corpus.titles.values()) <= shown
    for d in docs:
        assert not BeautifulSoup(d["title"], "html.parser").find(True), d["title"]
    shards = [row for p in (site / "search" / "carebase").glob("d-*.json") for row in json.loads(p.read_text("utf-8"))]
    assert corpus.titles["article:billing/hostile"] in {row[2] for row in shards}  # data, shown with textContent


@pytest.mark.slow
def test_a_folder_link_stops_the_build_before_mkdocs_follows_it(tmp_path):
    content = tmp_path / "content"
    (content / "billing").mkdir(parents=True)
    (content / "billing" / "a.md").write_text("---\ntitle: A\n---\nText\n", "utf-8")
    os.symlink(tmp_path, content / "billing" / "loop")  # MkDocs alone would walk this forever
    (tmp_path / "mkdocs.yml").write_text("site_name: Loop\ndocs_dir: content\ntheme: {name: carebase}\n"
                                         "plugins: [material/search, carebase]\n", "utf-8")
    checked = _carebase("check", "content", cwd=tmp_path)
    assert checked.returncode == 1
    assert re.search(r"^content/billing/loop: expected a folder \(not a link\), found a link to a folder outside",
                     checked.stdout, re.M)
    result = _carebase("build", "-d", str(tmp_path / "site"), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "billing/loop: expected a folder (not a link)" in result.stderr
    assert not (tmp_path / "site" / "billing").exists()
