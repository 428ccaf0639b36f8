"""Properties of the pieces that put writers' text into HTML (no build: fast).

Any text a title, chapter or summary may hold comes out of the page as that same text:
a generated page's heading (rendered through Markdown as the site does), and a JSON-LD block
(one script element that parses back to the same data, whatever ``</script>`` or ``<!--``
the text holds)."""

from __future__ import annotations

import json

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_testkit import examples

from carebase.content import load_catalogue
from carebase.content.fields import control_character
from carebase.pages.generated import MARKER, GeneratedPage
from carebase.pages.jsonld import script

TRICKS = st.sampled_from(["</script>", "<script>", "<!--", "-->", "<![CDATA[", "&lt;", "&", "\\", "*", "_", "`",
                          "#", "[x](y)", "{: #id}", "{{ x }}", "{% x %}", "\u202e", "\u2028", "<h1>", "|", "==", "^^"])
# control characters never reach a page: the loader refuses them in text fields (tested below)
TEXT = st.lists(TRICKS | st.text(max_size=8), min_size=1, max_size=12).map("".join).filter(
    lambda t: not control_character(t))
SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details",
                   "pymdownx.superfences"]


@pytest.mark.slow
@settings(max_examples=examples(100, ci=50), deadline=None)  # CI: derandomized
@given(TEXT.filter(lambda t: t.strip()))
def test_a_generated_heading_shows_the_title_as_text(title):
    shell = GeneratedPage("x.md", "x/", title, "<p>body</p>", "video").markdown()
    body = shell.split("---\n", 2)[2]  # MkDocs strips the front matter before Markdown
    html = markdown.markdown(body, extensions=SITE_EXTENSIONS).replace(f"<p>{MARKER}</p>", MARKER)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.h1.get_text() == " ".join(title.split())
    assert soup.find("script") is None


@pytest.mark.slow
@settings(max_examples=examples(100, ci=50), deadline=None)  # CI: derandomized
@given(st.dictionaries(st.sampled_from(["name", "description", "text"]), TEXT, min_size=1))
def test_json_ld_is_one_script_that_parses_back_to_the_data(data):
    html = f"<div>{script(data)}<p id=after>after</p></div>"
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and json.loads(scripts[0].string) == data
    assert soup.find(id="after") is not None  # nothing the text holds swallowed the rest of the page
    assert "<" not in scripts[0].string and "&" not in scripts[0].string


def test_control_characters_in_text_fields_are_refused_with_their_line(tmp_path):
    (tmp_path / "faq").mkdir()
    (tmp_path / "a.md").write_text('---\ntitle: "Bell \\a ring"\ntags: [ok, "esc \\e"]\n---\nText\n', "utf-8")
    (tmp_path / "b.md").write_text('---\ntitle: B\n---\nText\n\nPasted \x1b[1m\n', "utf-8")
    (tmp_path / "faq" / "f.yml").write_text('title: F\nquestions:\n  - question: "Q \\x02?"\n    answer: A\n', "utf-8")
    problems = {(p.path, p.line, p.field, p.severity.value) for p in load_catalogue(tmp_path).problems}
    assert ("a.md", 2, "title", "error") in problems
    assert ("a.md", 3, "tags[1]", "error") in problems
    assert ("b.md", 6, "body", "warning") in problems  # pasted from a terminal: shown, but flagged
    assert ("faq/f.yml", 3, "questions[0].question", "error") in problems


def test_size_limits_come_from_the_plugin_settings_in_mkdocs_yml(tmp_path):
    from carebase.content.limits import DEFAULTS, MB, limits_from_config, read_limits

    config = tmp_path / "mkdocs.yml"
    config.write_text("markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:x.y\n"
                      "plugins:\n  - search\n  - carebase:\n      limits: {article: {warning: 512 KB, error: 2 MB},"
                      " video: {error: 100 KB}}\n", "utf-8")
    limits, complaints = limits_from_config(config)
    assert not complaints
    assert (limits["article"].warning, limits["article"].error) == (512 * 1024, 2 * MB)
    assert (limits["video"].warning, limits["video"].error) == (100 * 1024, 100 * 1024)  # warning follows error down
    assert limits["faq"] == DEFAULTS["faq"]
    _, complaints = read_limits({"articles": {}, "faq": {"error": "lots"}, "video": {"warning": "2 MB", "error": "1 MB"}})
    assert complaints == ["limits.articles: expected one of article, faq, video, transcript, found 'articles'",
                          "limits.faq.error: expected a size like 512 KB or 10 MB, found 'lots'",
                          "limits.video: expected warning ≤ error, found 2 MB > 1 MB"]
