"""Helpers for the hostile-input tests of the report: hostile customer text, GitHub's own
Markdown renderer (cmark-gfm), and checks of what a reader of the rendered page would see."""

from __future__ import annotations

import re
import unicodedata

import cmarkgfm
from bs4 import BeautifulSoup
from cmarkgfm.cmark import Options

from carebase.store.cleaning import clean_text

# the payloads and their relatives; each holds a marker zqN to find its cell
HOSTILE = [
    "[Get your refund here](https://evil.example/phish) zq0",
    "![pixel](https://evil.example/track.png) @octocat zq1",
    "\r# Pwned zq2",
    "<script>alert(1)</script><img src=x onerror=alert(1)> zq3",
    "https://evil.example/a www.evil.example john@example.com <https://evil.example> zq4",
    "**bold** _em_ ~~del~~ `code` $x^2$ zq5",
    "a | b | c \\| d zq6",
    "#123 GH-5 @org/team octocat/repo#7 zq7",
    "=1+1 zq8", "bad\r=1+1 zq9", " =1+1 zq10", "\n=1+1 zq11", "\uff1d1+1 zq12", "+SUM(1) zq13",
    "-2+3 zq14", "@SUM(A1) zq15", "\t=1 zq16", "=cmd|' /C calc'!A0 zq17",
    "\x1b[31mred\x1b[0m \u202eevil\u202c \x07bell zq18",
    "&lt;b&gt; &amp; &#64; <!-- hidden --> zq19",
    "[x]: https://evil.example \"title\" zq20",
    "1. list\n- item\n> quote\n---\n| t | u |\n|---|---| zq21",
    "<details open><summary>click</summary>x</details> zq22",
    "[![a](https://evil.example/i.png)](https://evil.example) :shipit: zq23",
]
FORMULA = ("=", "+", "-", "@")


def render_gfm(markdown: str) -> BeautifulSoup:
    """``markdown`` rendered as GitHub renders an issue (raw HTML passed through, so any that
    got into the file shows up here)."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return BeautifulSoup(html, "html.parser")


def visible(text: str) -> str:
    """What the report must show of customer ``text``: cleaned, mentions and issue references
    broken with full-width signs."""
    shown = clean_text(text) or ""
    shown = re.sub(r"#(?=\d)", "\uff03", shown.replace("@", "\uff20"))
    return re.sub(r"\b(GH)-(?=\d)", "\\1\u2011", shown, flags=re.IGNORECASE)


def github_links(soup: BeautifulSoup) -> list[str]:
    """What GitHub would still turn into a link or mention in the text outside code."""
    found = []
    for node in soup.find_all(string=True):
        if node.find_parent(["code", "pre", "a"]):
            continue
        found += re.findall(r"(?<![\w`])@[A-Za-z0-9][\w-]*|(?<![\w&])#\d+|\bGH-\d+", str(node), flags=re.IGNORECASE)
    return found


def formula_cell(cell: str) -> bool:
    """A cell a spreadsheet would run: starting (after spaces, NFKC) with a formula sign."""
    return cell[:1] in ("\t", "\r") or unicodedata.normalize("NFKC", cell).lstrip().startswith(FORMULA)
