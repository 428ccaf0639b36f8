"""The site links where `carebase check` says a link goes (carebase.pages.site_links in articles,
carebase.pages.markup in FAQ answers). Before, three forms the check accepted (and REFERENCE
taught) broke on the site: a link to an id (``[FAQ](faq:billing#paying)``) was written into the
page as ``href="faq:billing#paying"``; a link from the content root (``/account/profile.md``)
was left as written by MkDocs (no such address on the site); a link to a page carebase makes,
written as its address (``../faq/billing/#paying``), was an "unrecognized relative link" to
MkDocs, so `carebase build --strict` failed where `carebase check --strict` passed. Written as the
page's file (``../faq/billing.md#paying``), MkDocs checks the anchor: carebase tells it those of
the pages it makes (plugins/site/anchors.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_testkit import run_carebase

from carebase.content.links import rewrite_links
from carebase.pages.context import SiteContext
from carebase.pages.markup import Markdown
from carebase.pages.site_links import mkdocs_links

CLEAN = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "clean"

PAGES = {"": "index.md", "billing/": "billing/index.md", "faq/billing/": "faq/billing.md",
         "videos/account-tour/": "videos/account-tour.md", "billing/refunds/": "billing/refunds.md",
         "account/profile/": "account/profile.md"}
IDS = {"faq:billing#paying": "faq/billing/#paying", "article:account/profile": "account/profile/",
       "faq:billing": "faq/billing/"}


def test_an_articles_links_are_written_as_mkdocs_reads_them():
    text = ("[a](faq:billing#paying) [b](/account/profile.md#top) [c](../faq/billing/#paying) [d](/)\n"
            "[e](../billing/) [f](/videos/account-tour/#t=5) [g](article:account/profile) [h](faq:billing)\n"
            "[keep](../account/profile.md) [img](../img/a.png) [web](https://x.example/) [self](#steps)\n"
            "[gone](faq:nowhere) [none](/nowhere/) `[code](faq:billing#paying)`\n"
            "```\n[fenced](faq:billing#paying)\n```\n[ref]: /account/profile.md\n")
    out = mkdocs_links(text, "billing/refunds.md", IDS.get, PAGES).split("\n")
    assert out[0] == ("[a](../faq/billing.md#paying) [b](../account/profile.md#top) [c](../faq/billing.md#paying) "
                      "[d](../index.md)")
    assert out[1] == ("[e](index.md) [f](../videos/account-tour.md#t=5) [g](../account/profile.md) "
                      "[h](../faq/billing.md)")
    assert out[2] == text.split("\n")[2]  # MkDocs' own forms, and what is not a page, as written
    assert out[3] == "[gone](faq:nowhere) [none](/nowhere/) `[code](faq:billing#paying)`"
    assert out[5] == "[fenced](faq:billing#paying)"
    assert out[7] == "[ref]: ../account/profile.md"


def test_a_links_query_and_a_target_with_spaces_reach_the_site():
    """reader 47 R7, R11: ``/search/?q=refund`` lost its query (an empty search); a target in
    angle brackets or %-escaped (``</account/my page.md>``, ``/account/my%20page/``) was left as
    written (no such address, or one from the domain's root)."""
    pages = {**PAGES, "search/": "search.md", "account/my%20page/": "account/my page.md"}
    text = ("[s](/search/?q=refund) [t](../search/?q=refund%20card#top) [u](/billing/refunds.md?x=1#steps)\n"
            "[a](</account/my page.md>) [b](/account/my%20page/) [c](</account/my page/> \"title\") [d](faq:billing?x)")
    out = mkdocs_links(text, "billing/refunds.md", IDS.get, pages).split("\n")
    assert out[0] == "[s](../search.md?q=refund) [t](../search.md?q=refund%20card#top) [u](refunds.md?x=1#steps)"
    assert out[1] == ("[a](<../account/my%20page.md>) [b](../account/my%20page.md) "
                      "[c](<../account/my%20page.md> \"title\") [d](faq:billing?x)")


def test_an_faq_answers_link_keeps_its_query():
    html = Markdown().html("[a](/search/?q=refund) [b](../billing/refunds.md?x=1#steps)", "faq/billing.yml",
                           "faq/billing/")
    assert re.findall(r'href="([^"]*)"', html) == ["../../search/?q=refund", "../../billing/refunds/?x=1#steps"]


def test_check_reads_a_target_in_angle_brackets(tmp_path):
    """``[A](</billing/no such page.md>)`` was no link to the check (its pattern allowed no
    space), so a broken one passed; it is read as the site reads it, without the brackets."""
    shutil.copytree(CLEAN, tmp_path / "content")
    article = tmp_path / "content" / "billing" / "refunds.md"
    article.write_text(article.read_text("utf-8") + "\n[gone](</billing/no such page.md>) "
                       "[here](<../account/profile.md>)\n", "utf-8")
    checked = run_carebase("check", "content", cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    assert checked.returncode == 1, checked.stdout
    problems = [line for line in checked.stdout.splitlines() if "[error]" in line]
    assert len(problems) == 1 and "/billing/no such page.md" in problems[0], checked.stdout


def test_rewrite_links_leaves_code_spans_and_fences_alone():
    text = "`[a](x)` [b](x) ``[c](x)``\n~~~\n[d](x)\n~~~\n[e](x)"
    assert rewrite_links(text, lambda t: "Y") == "`[a](x)` [b](Y) ``[c](x)``\n~~~\n[d](x)\n~~~\n[e](Y)"


def test_an_faq_answers_links_from_the_root_and_to_ids_land_on_their_pages():
    md = Markdown()
    html = md.html("[a](faq:billing#paying) [b](/account/profile.md) [c](/faq/billing/#paying) [d](/) "
                   "[e](../videos/account-tour/) [f](faq:nowhere)", "faq/billing.yml", "faq/billing/", ids=IDS.get)
    assert re.findall(r'href="([^"]*)"', html) == ["./#paying", "../../account/profile/", "./#paying", "../../",
                                                   "../../videos/account-tour/", "faq:nowhere"]


@pytest.mark.slow
def test_check_strict_and_build_strict_agree_and_the_site_links_where_the_check_said(tmp_path):
    shutil.copytree(CLEAN, tmp_path / "content")
    article = tmp_path / "content" / "billing" / "refunds.md"
    article.write_text(article.read_text("utf-8") + "\nLinks: [a](faq:billing#paying) [b](/account/profile.md) "
                       "[c](../faq/billing/#paying) [d](/) [e](../videos/account-tour/#t=5).\n"
                       "More: [f](/search/?q=refund) [g](</account/my page.md>) [h](/account/my%20page/).\n", "utf-8")
    (tmp_path / "content" / "account" / "my page.md").write_text(
        "---\ntitle: My page\nfeedback: false\n---\n# My page\n\nText.\n", "utf-8")
    faq = tmp_path / "content" / "faq" / "billing.yml"
    faq.write_text(faq.read_text("utf-8").replace(
        "By card or bank transfer.", "By card; see [your profile](/account/profile.md) or [refunds](article:billing/refunds)."),
        "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Help\nsite_url: https://help.example.com/\ndocs_dir: content\ntheme:\n  name: carebase\n"
        "plugins:\n  - carebase:\n      service_url: ''\nvalidation:\n  omitted_files: info\n  absolute_links: info\n"
        "  unrecognized_links: warn\n  anchors: warn\n", "utf-8")  # MkDocs checks the anchors of carebase's pages too
    env = {**os.environ, "NO_COLOR": "1", "CAREBASE_SEMANTIC": "0", "NO_MKDOCS_2_WARNING": "1"}
    checked = run_carebase("check", "--strict", "content", cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stdout
    built = subprocess.run([sys.executable, "-m", "carebase", "build", "--strict", "-q"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "billing" / "refunds" / "index.html").read_text("utf-8")
    hrefs = {text: href for href, text in re.findall(r'<a href="([^"]*)">([a-h])</a>', page)}
    assert hrefs == {"a": "../../faq/billing/#paying", "b": "../../account/profile/", "c": "../../faq/billing/#paying",
                     "d": "../../", "e": "../../videos/account-tour/#t=5", "f": "../../search/?q=refund",
                     "g": "../../account/my%20page/", "h": "../../account/my%20page/"}
    answers = (tmp_path / "site" / "faq" / "billing" / "index.html").read_text("utf-8")
    assert '<a href="../../account/profile/">your profile</a>' in answers
    assert '<a href="../../billing/refunds/">refunds</a>' in answers


def test_a_translations_links_go_to_the_pages_in_its_language_where_there_are_some():
    """reader 47, R3: from billing/refunds.de.md an id or an address went to the English FAQ,
    home and category pages though de/faq/billing/, de/ and de/billing/ exist."""
    pages = {**PAGES, "de/": "de/index.md", "de/billing/": "de/billing/index.md",
             "de/faq/billing/": "de/faq/billing.md"}
    text = "[a](faq:billing#paying) [b](../faq/billing/#paying) [c](/) [d](../billing/) [e](/videos/account-tour/)"
    assert mkdocs_links(text, "billing/refunds.de.md", IDS.get, pages, "de/") == (
        "[a](../de/faq/billing.md#paying) [b](../de/faq/billing.md#paying) [c](../de/index.md) "
        "[d](../de/billing/index.md) [e](../videos/account-tour.md)")  # no German video page: the English one


@pytest.mark.slow
def test_a_translations_links_land_on_its_languages_pages_in_a_real_build(tmp_path):
    """1227b0a9 and reader 47 R3 (reader R14: they had no test): from de/billing/refunds/ an
    article's id, its content-root link and its relative link all reach the German article,
    and the home page and a category reach the German ones; a page with no German version (the
    FAQ here) the English one."""
    shutil.copytree(CLEAN, tmp_path / "content")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Help\nsite_url: https://help.example.com/\ndocs_dir: content\ntheme:\n  name: carebase\n"
        "plugins:\n  - carebase:\n      service_url: ''\n      languages: [en, de]\nvalidation:\n"
        "  omitted_files: info\n  absolute_links: info\n  unrecognized_links: warn\n  anchors: warn\n", "utf-8")
    env = {**os.environ, "NO_COLOR": "1", "CAREBASE_SEMANTIC": "0", "NO_MKDOCS_2_WARNING": "1"}
    for source in ("content/account/profile.md", "content/billing/refunds.md"):
        started = run_carebase("translate", "start", source, "--to", "de", cwd=tmp_path, env=env)
        assert started.returncode == 0, started.stderr
    for name in ("account/profile.de.md", "billing/refunds.de.md"):
        path = tmp_path / "content" / name
        path.write_text(path.read_text("utf-8").replace("draft: true\n", ""), "utf-8")
    german = tmp_path / "content" / "billing" / "refunds.de.md"
    german.write_text(german.read_text("utf-8") + "\nLinks: [p1](/account/profile.md) [p2](article:account/profile) "
                      "[p3](../account/profile.md) [h](/) [k](../billing/) [f](faq:billing#paying).\n", "utf-8")
    # a German FAQ answer's links to pages carebase makes (reader 47, R3's rest: `/` opened the
    # English home page): the German page where there is one, else the English one
    started = run_carebase("translate", "start", "content/faq/billing.yml", "--to", "de", cwd=tmp_path, env=env)
    assert started.returncode == 0, started.stderr
    faq = tmp_path / "content" / "faq" / "billing.de.yml"
    text = faq.read_text("utf-8").replace("draft: true\n", "")
    answer = "Siehe [H](/), [K](../billing/), [F](/faq/billing/#paying), [S](../search/?q=karte), [V](/videos/)."
    faq.write_text(text.replace("By card or bank transfer.", answer, 1), "utf-8")
    assert answer in faq.read_text("utf-8")
    built = subprocess.run([sys.executable, "-m", "carebase", "build", "--strict", "-q"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "de" / "billing" / "refunds" / "index.html").read_text("utf-8")
    hrefs = {text: href for href, text in re.findall(r'<a href="([^"]*)">(p[123]|h|k|f)</a>', page)}
    assert hrefs == {"p1": "../../account/profile/", "p2": "../../account/profile/", "p3": "../../account/profile/",
                     "h": "../../", "k": "../", "f": "../../faq/billing/#paying"}
    faq_page = (tmp_path / "site" / "de" / "faq" / "billing" / "index.html").read_text("utf-8")
    hrefs = {text: href for href, text in re.findall(r'<a href="([^"]*)">([HKFSV])</a>', faq_page)}
    assert hrefs == {"H": "../../", "K": "../../billing/", "F": "./#paying", "S": "../../search/?q=karte",
                     "V": "../../../videos/"}  # no German video: the English gallery
    for address in ("de/index.html", "de/billing/index.html", "de/search/index.html", "videos/index.html"):
        assert (tmp_path / "site" / address).is_file(), address


def test_a_german_faq_answers_links_to_generated_pages_go_to_the_german_page_where_there_is_one():
    """reader 47, R3's rest: in a German FAQ answer `/` (and a category's or an FAQ page's
    address) went to the English page though de/ has one; ``here`` is the page's language's
    lookup of the pages carebase makes (SiteContext.here)."""
    german = {"": "de/", "billing/": "de/billing/"}.get
    html = Markdown().html("[h](/) [k](../billing/#x) [v](/videos/) [e](https://example.com/)", "faq/billing.de.yml",
                           "de/faq/billing/", here=german)
    assert re.findall(r'href="([^"]*)"', html) == ["../../", "../../billing/#x", "../../../videos/",
                                                   "https://example.com/"]


def test_a_language_knows_which_generated_pages_it_has():
    from carebase.content.model import Catalogue, FaqGroup

    groups = (FaqGroup("faq:billing", "faq/billing.de.yml", "Abrechnung", (), lang="de"),
              FaqGroup("faq:account", "faq/account.yml", "Account", ()))  # not translated: English
    ctx = SiteContext(catalogue=Catalogue(root="/x", faqs=groups), prefix="de/")
    assert [ctx.here(a) for a in ("", "search/", "faq/", "faq/billing/", "faq/account/", "videos/", "contact/")] == [
        "de/", "de/search/", "de/faq/", "de/faq/billing/", None, None, None]
    assert SiteContext(catalogue=Catalogue(root="/x", faqs=groups)).here("") is None  # the default language


def test_a_german_faq_answers_article_links_go_to_the_german_article_where_there_is_one():
    """reader 47, R3 (FAQ answers): from de/faq/billing/ a link to billing/refunds.md went to the
    English article though de/billing/refunds/ exists; ``ids`` is the page's language's lookup."""
    german = {"billing/refunds.md": "de/billing/refunds/"}.get
    html = Markdown().html("[r](../billing/refunds.md#x) [s](/billing/refunds.md) [t](../account/profile.md)",
                           "faq/billing.de.yml", "de/faq/billing/", ids=german)
    assert re.findall(r'href="([^"]*)"', html) == ["../../billing/refunds/#x", "../../billing/refunds/",
                                                   "../../../account/profile/"]
