"""The report's parts computed beside its main pass (a child interpreter for the learned
phrasings, a thread for the search outcomes) give exactly what the in-order path gives, on
the real SQLite store of the report tests; a store the child cannot open by URL stays in order."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from carebase.report.background import BIG, Background, period_events

pytestmark = pytest.mark.slow  # starts a child interpreter


def snapshot(beside: Background):
    learned = beside.learned_evidence()
    rows, daily, views = beside.outcomes.result()
    return ([t.as_json() for t in learned.ties], learned.item_journeys, sorted(learned._pair.items()),
            sorted(rows, key=repr), daily, views)


def test_beside_the_main_pass_equals_in_order(simulated, periods):
    _, engine, _ = simulated
    assert period_events(engine, periods) < BIG  # so a report on it runs in order by itself
    in_order = Background(engine, periods, parallel=False)
    beside = Background(engine, periods, parallel=True)
    try:
        assert beside._pools and not in_order._pools
        expected = snapshot(in_order)
        assert expected[0] and expected[3]  # ties learned, searches with outcomes
        assert snapshot(beside) == expected
    finally:
        beside.close()
        in_order.close()


def test_an_in_memory_store_stays_in_one_process(periods):
    from carebase.store.schema import metadata

    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    beside = Background(engine, periods, parallel=True)
    try:
        assert beside.learned is None and not beside._pools  # no child, no thread: in order
        assert beside.learned_evidence().ties == [] and beside.outcomes.result()[0] == []
    finally:
        beside.close()
