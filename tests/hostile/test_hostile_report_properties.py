"""Issue 13 items 1, 2 and 12 as properties: any customer text renders as inert Markdown in
every place the report puts it (rendered with GitHub's cmark-gfm), and every CSV cell read
back with ``csv`` is the one cell it was written as, never starting with a formula sign."""

from __future__ import annotations

import csv
import io

import pytest
from hostile_report_testkit import HOSTILE, formula_cell, github_links, render_gfm, visible
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis_testkit import examples

from carebase.report.render_text import _csv, _link
from carebase.report.safe_text import md_code, md_text
from carebase.store.cleaning import clean_text

# 120 random examples locally, 60 derandomized in CI; the @example payloads run every time
PROPERTY = settings(max_examples=examples(120, ci=60), deadline=None)
pytestmark = pytest.mark.slow  # hundreds of renderings; test_hostile_report_examples.py is the fast tier's share
# any text, with Markdown's and GitHub's signs and the controls made likely
customer_text = st.lists(st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(list("[]()!<>*_`~|#@:.\\&$^-+=\r\n\t\x1b\u202e\u2066\u200b\uff1d\uff20") + [
        "https://", "www.", "<script>", "](", "![", "&#64;", "\r#", "\n=", "GH-1", "@octocat"])),
    max_size=40).map("".join)
ALLOWED = {"p", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "a", "strong", "code"}


def _one_cell_table(text: str) -> tuple:
    soup = render_gfm(f"| a | b | c |\n|---|---|---|\n| x | {md_text(text)} | {md_code(text)} |\n")
    cells = soup.find("tbody").find_all("td")
    return soup, cells


@PROPERTY
@given(text=customer_text)
@example(text=HOSTILE[0]).via("the issue's link")
@example(text=HOSTILE[1]).via("the issue's pixel and mention")
@example(text=HOSTILE[2]).via("the issue's heading")
def test_customer_text_in_a_table_cell_is_the_cell_text_and_nothing_else(text):
    soup, cells = _one_cell_table(text)
    assert len(cells) == 3 and cells[0].get_text() == "x"
    assert cells[1].get_text() == visible(text)  # shown as typed (cleaned), in its own cell
    code = (clean_text(text) or "").replace("`", "'")
    assert cells[2].get_text() == (code[1:-1] if code.startswith(" ") and code.endswith(" ") and code.strip() else code)
    assert cells[1].find(True) is None and [t.name for t in cells[2].find_all(True)] == (["code"] if code else [])
    assert {tag.name for tag in soup.find_all(True)} <= ALLOWED - {"a", "strong", "ul", "li"}
    assert not github_links(soup)


@PROPERTY
@given(text=customer_text, title=customer_text)
def test_customer_text_in_a_list_item_and_a_link_stays_literal(text, title):
    markdown = (f"# Report\n\n- Review overdue: {_link(title, {'href': 'billing/a b(1).md'})} "
                f"(owner {md_text(text)})\n1. **Fix** {md_text(text)} — {md_text(title)}\n")
    soup = render_gfm(markdown)
    assert [h.get_text() for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == ["Report"]
    items = soup.find_all("li")
    assert len(items) == 2
    links = soup.find_all("a")
    assert [a["href"] for a in links] == ["billing/a%20b%281%29.md"] and links[0].get_text() == visible(title)
    assert items[0].get_text() == f"Review overdue: {visible(title)} (owner {visible(text)})"
    assert items[1].get_text() == f"Fix {visible(text)} — {visible(title)}".rstrip()
    assert {tag.name for tag in soup.find_all(True)} <= {"h1", "ul", "ol", "li", "a", "strong"}
    assert not github_links(soup)


@PROPERTY
@given(rows=st.lists(st.lists(st.one_of(customer_text, st.integers(), st.floats(allow_nan=False)), min_size=3,
                              max_size=3), min_size=1, max_size=5))
@example(rows=[HOSTILE[8:11], HOSTILE[11:14], HOSTILE[14:17], [HOSTILE[17], "", None]])
def test_every_csv_cell_reads_back_as_one_cell_that_no_spreadsheet_runs(rows):
    text = _csv(["a", "b", "c"], rows)
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == ["a", "b", "c"] and len(read) == len(rows) + 1  # no cell started a new row
    for written, back in zip(rows, read[1:]):
        assert len(back) == 3
        for value, cell in zip(written, back):
            assert not formula_cell(cell), cell
            assert cell in (visible_csv(value), "'" + visible_csv(value))  # the text, maybe made inert


def visible_csv(value) -> str:
    from carebase.store.cleaning import clean_text

    text = "" if value is None else str(value)
    return text if text.isascii() and text.isprintable() else (clean_text(text, multiline=True) or "")
