"""The tests' Node runner of the client index (sitesearch_testkit ``_index_in_node``): one Node
process answers every call of a test process, each call in a new context with the browser's
analyser.js and search-index.js loaded afresh, and a call's error fails that call only."""

from __future__ import annotations

import pytest

from sitesearch_testkit import _index_in_node

pytestmark = pytest.mark.slow  # runs Node


def test_one_node_process_answers_every_call_each_in_a_new_context(tmp_path):
    calls = [_index_in_node(tmp_path, (
        "const first = ctx.window.mark === undefined; ctx.window.mark = 1; fetched.push('x');"
        "console.log(JSON.stringify({pid: process.pid, first, fetched: fetched.length,"
        " index: typeof ctx.window.carebaseSearchIndex.open, root: input.root, query: input.query}));"
    ), {"query": f"q{n}"}) for n in range(3)]
    assert len({call.pop("pid") for call in calls}) == 1  # one process (one each before)
    root = tmp_path.resolve().as_uri() + "/"
    assert calls == [{"first": True, "fetched": 1, "index": "function", "root": root, "query": f"q{n}"}
                     for n in range(3)]


def test_an_error_fails_its_call_with_its_message_and_the_next_call_is_answered(tmp_path):
    with pytest.raises(AssertionError, match="no index here"):
        _index_in_node(tmp_path, "Promise.reject(new Error('no index here'));", {})
    with pytest.raises(AssertionError, match="thrown at once"):
        _index_in_node(tmp_path, "throw new Error('thrown at once');", {})
    assert _index_in_node(tmp_path, "console.log(JSON.stringify(input.n + 1));", {"n": 41}) == 42
