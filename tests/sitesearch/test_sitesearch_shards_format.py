"""The browser reads the site search's shards of the one format the build writes: search-index.js
says the format it reads (``FORMAT``), the build's ``carebase.pages.search_shards.VERSION``, and
refuses a meta.json of another with the rebuild message (the shards' shape is pinned to that
number in tests/search/test_search_output_pins.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sitesearch_testkit import searches_in_node

from carebase.content.model import Article, Catalogue
from carebase.pages.search_shards import VERSION, build_search_shards

REPO = Path(__file__).resolve().parents[2]


def test_the_browser_reads_the_format_the_build_writes():
    """search-index.js says the one format it reads; the build writes the same number."""
    script = (REPO / "theme" / "assets" / "carebase" / "search-index.js").read_text(encoding="utf-8")
    declared = re.search(r"\bvar FORMAT = (\d+);", script)
    assert declared and int(declared.group(1)) == VERSION, "search-index.js's FORMAT is not the build's VERSION"


@pytest.mark.slow  # runs Node
@pytest.mark.parametrize("version", [VERSION - 1, None, VERSION + 1])
def test_the_browser_refuses_shards_of_another_format_with_the_rebuild_message(tmp_path, version):
    """Fails on the old code: search-index.js read any meta.json (one of another build, its rows
    read by position, gave wrong results without a word). Now the index does not open, so the
    page falls back as for a missing index, and the reason names the rebuild."""
    catalogue = Catalogue(root=str(tmp_path), articles=(
        Article(id="article:billing/refunds", path="billing/refunds.md", title="Getting your money back",
                body="We refund a card payment when the shop agrees.", body_line=1, category="billing"),))
    build_search_shards(catalogue, tmp_path, category_title=lambda slug: slug.upper())
    found = searches_in_node(tmp_path, [("refund", {"limit": 5})])  # today's opens
    assert [hit[0] for hit in found[0]["hits"]] == ["article:billing/refunds"]
    meta = json.loads((tmp_path / "meta.json").read_text())
    if version is None:
        meta.pop("version")
    else:
        meta["version"] = version
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(AssertionError) as refused:
        searches_in_node(tmp_path, [("refund", {"limit": 5})])
    said = "undefined" if version is None else str(version)
    assert (f"site search index is format {said}, this page reads format {VERSION}: rebuild the site "
            f"(carebase build)") in str(refused.value)
