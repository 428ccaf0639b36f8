"""The fast tier starts no Node (tests/tiers_testkit.py ``starts``): a fast-tier test whose kit
starts Node fails at once, saying which mark it needs, in every run (not only ``-m fast``), so
the tier's "no browser, Node, server or build" holds as tests are added; a test marked slow
starts it."""

from __future__ import annotations

import pytest

from tiers_testkit import starts


def test_a_fast_test_that_starts_node_fails_naming_the_mark_it_needs(request):
    assert request.node.get_closest_marker("fast")
    with pytest.raises(pytest.fail.Exception, match=r"test_quality_tiers.py::test_a_fast_test_that_starts_node_"
                                                    r".* is in the fast tier but starts Node: mark it @pytest.mark.slow"):
        starts("Node")


@pytest.mark.slow
def test_a_slow_test_may_start_node(request):
    assert not request.node.get_closest_marker("fast")
    starts("Node")  # no failure
