"""The answer's reason when learned votes decide it says what the number is: with coverage
(session 48's trial 2) an item's vote share is weighed by the part of the question its wordings
hold and not shared out again, so "(42% of the learned votes)" overstated it (learn's report,
session 49)."""

from __future__ import annotations

from types import SimpleNamespace

from carebase.assist.confidence import confidence


def test_a_learned_answer_s_reason_names_a_weighed_vote_not_a_share_of_all_votes():
    hit = SimpleNamespace(id="article:remove-old-thermostat", key="remove-old-thermostat", score=1.0)
    results = SimpleNamespace(suggestion=None, votes={hit.id: 0.42})  # a vote after coverage
    clauses = [{("thermostat",): 1.0}, {("flash",): 1.0}, {("red",): 1.0}]
    # a searcher without meaning or an index: by words, every word alike (the item holds a third)
    sure = confidence(SimpleNamespace(), "thermostat flashing red", results, hit, clauses,
                      frozenset({"thermostat", "remov", "old"}), threshold=0.2)
    assert sure.votes == 0.42 and sure.answered
    assert sure.why == ("customers who asked like this were helped by it (a learned vote of 42%: "
                        "their votes' share, weighed by how much of the question their words hold)")
    assert "of the learned votes" not in sure.why
