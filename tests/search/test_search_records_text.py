"""markdown_text against the single nine-way pattern it replaced: the same text for any mix of
Markdown's marks (lists, quotes, numbers, admonitions, emphasis, code, links, tables, fences)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_testkit import examples

from carebase.content.fences import heading_text
from carebase.search import records
from carebase.search.records import markdown_text

_MARKS = re.compile(r"(\*\*|__|\*|`|^[ \t]{0,3}>[ \t]?|^[ \t]*[-+*][ \t]+|^[ \t]*\d+\.[ \t]+|^!!!.*$|^\?\?\?.*$)", re.M)


def _rule(line: str) -> bool:
    return "|" in line and "-" in line and not set(line) - records._TABLE_RULE


def _in_table(lines: list[str], i: int) -> bool:
    """Whether line ``i`` (with a "|", not a rule) reaches a table's rule line through lines
    with a "|", upwards or downwards."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and "|" in lines[j]:
            if _rule(lines[j]):
                return True
            j += step
    return False


def reference(markdown: str) -> str:
    """markdown_text as it was before (main d2d15b1): every step on the whole text; since then,
    headings and a table's rows are sentences (records._sentence, _row_text: session 30)."""
    text = records._FENCE.sub("", markdown)
    text = records._IMAGE.sub(r"\1", text)
    text = records._LINK.sub(r"\1", text)
    text = records._REF_LINK.sub(r"\1", text)
    text = records._TAG.sub(" ", text)
    text = records._ATTR_LIST.sub("", text)
    lines = []
    raw = text.split("\n")
    for i, line in enumerate(raw):
        heading = heading_text(line)
        if heading is not None:
            line = records._sentence(heading)
        elif _rule(line):
            continue
        elif "|" in line and _in_table(raw, i):
            line = records._row_text(line)
        lines.append(line)
    text = _MARKS.sub("", "\n".join(lines)).replace("|", " ")
    lines = (records._SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


PIECES = ["*", "**", "_", "__", "`", "```", "~~~", ">", "> ", "-", "- ", "+ ", "* ", "1. ", "12.", "٣. ", "!!!", "???",
          "#", "## ", " ", "  ", "   ", "    ", "\t", "\n", "\r", "\x0b", "\u2028", "|", "---", ":", "[a](b)", "![i](s.png)",
          "[r][x]", "<b>", "<", "{#id}", "{: .c}", "{", "}", "(", ")", "[", "]", "word", "é", "3", "."]


@settings(max_examples=examples(400, 200), deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_the_same_text_as_the_nine_way_pattern(markdown):
    assert markdown_text(markdown) == reference(markdown)


def test_lines_of_each_kind():
    md = ("* one\n  - two\n3. three\n> **quoted** `code`\n!!! note \"x\"\n??? tip\n__a___b\n_*_\n"
          "| a | b |\n|---|:-:|\n```\n# in a fence\n```\n## Heading ##\n")
    assert markdown_text(md) == reference(md)
    assert markdown_text(md).splitlines()[:4] == ["one", "two", "three", "quoted code"]


def test_headings_and_a_tables_rows_read_as_sentences():
    md = ("# Refunds\n## Why? ##\nIntro | not a table\n\n| Situation | Refund |\n| --- | :-: |\n| Annual plan | **Full refund** |\n"
          "| Monthly plan | None; it stays active. |\nAfter | the table\n\nText")
    assert markdown_text(md).splitlines() == [
        "Refunds.", "Why?", "Intro not a table", "Situation — Refund.", "Annual plan — Full refund.",
        "Monthly plan — None; it stays active.", "After — the table.", "Text"]
