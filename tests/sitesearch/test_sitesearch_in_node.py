"""The tests' Node runner of the client index (sitesearch_testkit ``_index_in_node``): one Node
process answers every call of a test process, each call in a new context with the browser's
analyser.js and search-index.js loaded afresh, and a call's error fails that call only."""

from __future__ import annotations

import pytest

from sitesearch_testkit import _NODE, _index_in_node

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


def test_what_a_call_does_after_its_answer_never_answers_or_fails_the_next_call(tmp_path):
    # call A answers, then logs again 0.1 s later, while call B is still waiting on its own timer
    assert _index_in_node(tmp_path, "console.log(JSON.stringify('A'));"
                          " setTimeout(() => console.log(JSON.stringify('A, late')), 100);", {}) == "A"
    assert _index_in_node(tmp_path, "setTimeout(() => console.log(JSON.stringify('B')), 400);", {}) == "B"
    # call C answers, then its promise chain rejects 0.1 s later, and a timer of it throws, while D waits
    assert _index_in_node(tmp_path, (
        "console.log(JSON.stringify('C'));"
        " Promise.resolve().then(() => new Promise((r) => setTimeout(r, 100)))"
        ".then(() => { throw new Error('late rejection of C'); });"
        " setTimeout(() => { throw new Error('late throw of C'); }, 150);"), {}) == "C"
    assert _index_in_node(tmp_path, "setTimeout(() => console.log(JSON.stringify('D')), 400);", {}) == "D"
    # E's own error, raised by its timer after C's late ones, fails E and names E's error only
    with pytest.raises(AssertionError, match="E's own failure") as failure:
        _index_in_node(tmp_path, "setTimeout(() => { throw new Error(\"E's own failure\"); }, 50);", {})
    assert "of C" not in str(failure.value)
    # what came after an answer is on Node's stderr, each line naming its request
    _NODE[1].seek(0)
    late = _NODE[1].read().decode()
    assert "after its answer: console.log(\"A, late\")" in late
    assert "Error: late rejection of C" in late and "Error: late throw of C" in late
    assert _index_in_node(tmp_path, "console.log(JSON.stringify(input.n * 2));", {"n": 21}) == 42


def test_a_call_that_logs_no_json_fails_with_what_it_logged(tmp_path):
    with pytest.raises(AssertionError, match="console.log needs one JSON text, not not json"):
        _index_in_node(tmp_path, "console.log('not json');", {})
    assert _index_in_node(tmp_path, "console.log(JSON.stringify([1]));", {}) == [1]
