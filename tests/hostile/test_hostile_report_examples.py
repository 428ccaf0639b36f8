"""The fast tier's share of the report's hostile-text properties: the issue's payloads, one by
one, through the Markdown and CSV helpers and GitHub's renderer."""

from __future__ import annotations

import csv
import io

from hostile_report_testkit import HOSTILE, formula_cell, github_links, render_gfm, visible

from carebase.report.render_text import _csv
from carebase.report.safe_text import md_text


def test_each_payload_is_one_plain_table_cell():
    rows = "".join(f"| {n} | {md_text(text)} |\n" for n, text in enumerate(HOSTILE))
    soup = render_gfm("| n | text |\n|---|---|\n" + rows)
    cells = [row.find_all("td") for row in soup.find("tbody").find_all("tr")]
    assert [len(c) for c in cells] == [2] * len(HOSTILE)
    assert [c[1].get_text() for c in cells] == [visible(text) for text in HOSTILE]
    assert not soup.find("tbody").find_all(["a", "img", "em", "strong", "del", "code", "script", "details"])
    assert not github_links(soup)


def test_each_payload_is_one_csv_cell_no_spreadsheet_runs():
    table = list(csv.reader(io.StringIO(_csv(["text", "n"], [[text, n] for n, text in enumerate(HOSTILE)]),
                                        newline="")))
    assert len(table) == len(HOSTILE) + 1 and all(len(row) == 2 for row in table)
    assert not [row[0] for row in table if formula_cell(row[0])]
    assert [int(row[1]) for row in table[1:]] == list(range(len(HOSTILE)))
