"""The client index (search-index.js, the site with the service down) counts the weaker matches
the results list reaches, as the service does (carebase.search.items): its first MAX_DEPTH
(1,000) records, strong ones first. Reader 43, R3: 1,203 articles matching "thermostat", 3 of
them "thermostat zebra": "Show weaker matches (1,200)" while the list stops at 997."""

from __future__ import annotations

import pytest

from carebase.content import load_catalogue
from carebase.pages.search_shards import build_search_shards
from sitesearch_testkit import _index_in_node

pytestmark = pytest.mark.slow  # runs Node


def test_the_client_index_counts_the_weaker_matches_the_list_reaches(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for i in range(1200):
        (content / f"a{i}.md").write_text(f"---\ntitle: Room {i} heating\n---\nThe thermostat in room {i} keeps it warm.\n")
    for i in range(3):
        (content / f"z{i}.md").write_text(f"---\ntitle: Zebra thermostat {i}\n---\nA zebra thermostat.\n")
    site = tmp_path / "site"
    build_search_shards(load_catalogue(content), site)
    res = _index_in_node(site, (
        "ctx.window.carebaseSearchIndex.open(input.root).then((index) => index.search(input.q, {limit: 20}))"
        ".then((res) => console.log(JSON.stringify({total: res.total, strong: res.strong, weak: res.weak_items})));"
    ), {"q": "thermostat zebra"})
    assert res["total"] == 1203 and res["strong"] == 3, res
    assert res["weak"] == 1000 - 3, res  # 1,200 before: more than "Show more weaker matches" reaches
