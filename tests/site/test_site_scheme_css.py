"""The palette rules copied for pages without JavaScript (carebase.pages.scheme_css) are read as
CSS reads a style sheet. The first five cases failed on the hand-written reader tinycss2 replaced:
it took comments out before it knew where strings were, split selector lists by counting brackets
inside strings, and knew no escapes; the others pin what it did right."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from carebase.pages.scheme_css import auto_css, static_page_css

DARK = {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo", "accent": "indigo"}
LIGHT = {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo", "accent": "indigo"}
S, A = "[data-md-color-scheme=slate]", "[data-md-color-scheme=auto]"


def dark(rules: str) -> str:
    return "@media (prefers-color-scheme: dark){" + rules + "}"


@pytest.mark.parametrize("css, rules", [
    # a "/*" inside a string is not a comment (the old reader lost every rule after it)
    (S + ' .a::before{content:"/*"}' + S + " .b{color:red}/* a note */",
     A + ' .a::before{content:"/*"}' + A + " .b{color:red}"),
    # a ")" or "(" inside a string does not join two selectors (the old reader gave the dark
    # colours to .a, a light element, under a dark setting)
    ('.a[title="x)"],' + S + " .b{color:red}", A + " .b{color:red}"),
    ('.a[title="x("],' + S + " .b{color:red}", A + " .b{color:red}"),
    # an escaped brace is part of a class name (the old reader lost the rule)
    (".icon-\\{," + S + " .b{color:red}", A + " .b{color:red}"),
    # a comment left open runs to the end of the sheet (the old reader copied it into the page,
    # where it would hide whatever came after it)
    (S + " .a{color:red}/* no end " + S + " .b{color:blue}", A + " .a{color:red}"),
    # what it did right
    (S + ' .a::after{content:"}"}' + S + " .b{color:red}", A + ' .a::after{content:"}"}' + A + " .b{color:red}"),
    ("@media screen{@supports (color:red){" + S + " .a{color:red}}}", "@media screen{@supports (color:red){" + A
     + " .a{color:red}}}"),
    (S + " .a{color:red!important}", A + " .a{color:red!important}"),
    (S + " .a/* , */.b{color:red/* } */}", A + " .a.b{color:red}"),
    ("@import url(a;b.css);@font-face{font-family:x}" + S + " .b{color:red}", A + " .b{color:red}"),
    ("[data-md-color-scheme=default] .a{color:red}.b{color:blue}", ""),
])
def test_the_rules_of_a_palette_are_read_as_css_reads_them(css, rules):
    assert auto_css(css, [DARK]) == (dark(rules) if rules else "")


def test_material_s_and_carebase_s_sheets_give_the_rules_they_gave():
    """The sheets the demo ships give whole rules for the dark option (on Material 9.8.2's and
    today's carebase sheets, the same bytes as the hand-written reader's: benchmarks/RESULTS.md)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    sheets = [Path(p) for p in sorted(glob.glob(str(folder / "*.min.css")))]
    ours = sorted(Path(__file__).parents[2].joinpath("theme", "assets", "carebase").glob("*.css"))
    texts = [p.read_text(encoding="utf-8") for p in (*sheets, *ours)]
    options = [LIGHT, {**DARK, "accent": "light-blue"}]
    made = [auto_css(text, options) for text in texts]
    assert all(made[i].count("{") == made[i].count("}") for i in range(len(made)))
    assert sum(1 for m in made if m) >= 4  # Material's two, feedback.css and site.css
    dark_rules = static_page_css(texts, options)
    assert dark_rules.startswith("@media (prefers-color-scheme: dark){") and "[data-md-color-scheme=default]" in dark_rules
