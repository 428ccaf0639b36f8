"""The site's client index (search-index.js and analyser.js in node, the service down) finds
articles by the word forms the stemmer does not join, as the service does: the build writes
the forms of the index's terms into meta.json (carebase.text.forms)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sitesearch_testkit import search_in_node

from carebase.pages.search_shards import build_search_shards

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "search"))
from search_testkit import help_centre  # noqa: E402


@pytest.mark.slow  # runs Node
def test_the_client_index_finds_frozen_sent_and_paid_in_their_articles(tmp_path):
    meta = build_search_shards(help_centre(), tmp_path)
    found = search_in_node(tmp_path, ["my card was frozen", "they sent my new card", "I was paid"])
    assert found["my card was frozen"][0].endswith("cards/lost-card/")
    assert found["they sent my new card"][0].endswith("cards/lost-card/")
    assert any(url.endswith("billing/refunds/") for url in found["I was paid"][:2])
    assert {"frozen", "sent", "paid"} <= meta["analyser"]["forms"].keys()
