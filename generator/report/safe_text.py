"""Customer text made inert for the report's Markdown and CSV files.

Markdown (``report.md`` is pasted into GitHub issues and PRs):

- ``md_text(text)``: one line of literal text in any inline position (table cell, list item,
  link text, sentence). Controls, escapes and bidi overrides are removed (``clean_text``),
  every ASCII punctuation character that Markdown or GitHub's extensions give a meaning
  (links, images, emphasis, code, HTML, entities, tables, strikethrough, math, headings,
  autolinks ``https://`` and ``www.``) is backslash-escaped, and what GitHub turns into links
  after rendering, where escapes no longer count, is broken visibly: ``@`` becomes the
  full-width ``＠`` (no mention, no e-mail autolink), ``#`` before a digit ``＃`` and ``GH-``
  before a digit ``GH‑`` (no issue reference).
- ``md_code(text)``: the same text as a code span (GitHub renders nothing in code):
  backticks become ``'``, in a table ``|`` is escaped; empty text gives no span at all.

CSV: ``csv_cell(value)``: cleaned the same way (line breaks kept as ``\\n``), and a cell
that a spreadsheet would run as a formula — starting, after leading spaces and NFKC
normalisation, with ``=``, ``+``, ``-`` or ``@`` (``＝1+1``, `` =1+1``, ``\\t=1``, DDE
``=cmd|' /C calc'!A0``) — gets a leading ``'``. The CSV writer quotes every cell, so a line
break or a separator inside a cell can never start a new row or column.
"""

from __future__ import annotations

import re
import unicodedata

from carebase.store.cleaning import clean_text

_ESCAPE = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$^&])")
_ISSUE_REF = re.compile(r"#(?=\d)")
_GH_REF = re.compile(r"\b(GH)-(?=\d)", re.IGNORECASE)
FORMULA_START = ("=", "+", "-", "@")


def md_text(value) -> str:
    """Inert one-line Markdown showing ``value`` as plain text."""
    text = clean_text("" if value is None else str(value)) or ""
    text = _GH_REF.sub("\\1\u2011", _ISSUE_REF.sub("\uff03", text.replace("@", "\uff20")))
    return _ESCAPE.sub(r"\\\1", text)


def md_code(value, *, in_table: bool = True) -> str:
    """A single-backtick code span showing ``value`` ("" for empty text)."""
    text = (clean_text("" if value is None else str(value)) or "").replace("`", "'")
    if not text:
        return ""
    return "`" + (text.replace("|", "\\|") if in_table else text) + "`"


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs."""
    text = "" if value is None else str(value)
    text = clean_text(text, multiline=True) if not text.isascii() or not text.isprintable() else text
    probe = unicodedata.normalize("NFKC", text).lstrip()
    return "'" + text if probe.startswith(FORMULA_START) or text[:1] in ("\t", "\r") else text
