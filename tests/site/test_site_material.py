"""Which pages load Material's JavaScript bundle and which get carebase's chrome.js instead
(plugins/site/material.py): the bundle is one long task; the demo's pages need none of it."""

from __future__ import annotations

from pathlib import Path

import yaml

from carebase.plugins.site.material import HANDLED_FEATURES, page_needs_bundle, site_needs_bundle

REPO = Path(__file__).resolve().parents[2]


def config(**items) -> dict:
    items.setdefault("theme", {"features": ["navigation.top", "navigation.prune", "content.code.copy"]})
    items.setdefault("plugins", {"carebase": object()})
    return items


def test_the_demo_needs_no_bundle_site_wide_and_what_makes_a_site_need_it():
    demo = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert set(demo["theme"]["features"]) <= HANDLED_FEATURES
    assert site_needs_bundle(config(theme=demo["theme"]), "auto") == ""
    assert site_needs_bundle(config(), "always") == "material_bundle: always"
    assert site_needs_bundle(config(extra_javascript=["x.js"]), "auto") == "extra_javascript"
    assert site_needs_bundle(config(plugins={"material/search": 1, "carebase": 1}), "auto") == "Material's search"
    assert site_needs_bundle(config(theme={"features": ["navigation.top", "toc.follow", "header.autohide"]}), "auto") \
        == "features: header.autohide, toc.follow"
    assert site_needs_bundle(config(repo_url="https://github.com/acme/help"), "auto").startswith("repo_url")
    assert site_needs_bundle(config(extra={"consent": {"title": "Cookies"}}), "auto") == "extra.consent"


def test_a_page_needs_the_bundle_for_code_tabs_diagrams_and_previews_not_tables_or_details():
    plain = ('<h1 id="refunds">Refunds</h1><p>A mermaid, a <code>code</code> word.</p><table><tr><td>a</td></tr></table>'
             '<details class="note"><summary>More</summary><p>x</p></details><div class="admonition tip"></div>')
    assert page_needs_bundle(plain) == ""
    assert page_needs_bundle("") == ""
    for html in ('<div class="highlight"><pre><span></span><code>ls</code></pre></div>', "<pre>\nx</pre>",
                 '<div class="tabbed-set tabbed-alternate" data-tabs="1:2">', '<pre class="mermaid"><code>graph',
                 '<ol class="annotate"><li>x</li></ol>', '<a href="../x/" data-preview>x</a>'):
        assert page_needs_bundle(html), html
