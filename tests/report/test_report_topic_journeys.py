"""A row's wordings whose journeys reached an item, split off as a need of their own
(report.topic_journeys): planted wordings, vectors and journeys, no model, no store. Two needs
as close as BANKING77's "my transfer failed" / "a transfer to that account was not allowed" share
a row; the customers of the second went on to reach its article, those of the first reached
nothing: the second's reached wordings become their own row, with the wordings no journey went on
from that are nearer them in meaning; the larger part keeps the row's id. A row
whose journeys reach an item for a quarter of its failed searches or more is that item's (no
split); fewer than three journeys say nothing, nor a few from a wording searched many more times;
a row a lead's link made stays as the lead said."""

from __future__ import annotations

from collections import Counter

from carebase.report import lead_links, topic_journeys
from carebase.report.topic_actions import topic_label
from topics_testkit import Planted

BENEFICIARY = "article:transfers/beneficiary-not-allowed"
DECLINED = "article:transfers/declined-transfer"
# wording → (failed searches, vector)
V = {"my transfer failed": (20, [1, 0, 0]), "why did my transfer not work": (12, [0.97, 0.24, 0]),
     "transfer keeps failing": (8, [0.95, 0.31, 0]), "not allowed to transfer to that account": (3, [0.8, 0.6, 0]),
     "beneficiary not allowed": (2, [0.75, 0.66, 0]), "cannot transfer to my friend": (3, [0.85, 0.53, 0])}

PLANTED = Planted(V)
WORDINGS, vector = PLANTED.wordings, PLANTED.vector


def row(topic_id="topic:aaaaaaaaaa"):
    t = lead_links.make_topic(list(WORDINGS.values()), vector)
    t.id = topic_id
    return t


def reached(**journeys) -> dict[str, Counter]:
    """query → Counter((item, next query) → journeys), as topic_evidence.reached_after gives it."""
    out = {}
    for text, items in journeys.items():
        out[text.replace("_", " ")] = Counter({(item, None): n for item, n in items.items()})
    return out


def labels(topics):
    return [sorted(m.label() for m in t.members) for t in topics]


def test_the_wordings_whose_journeys_reached_an_item_are_split_off_and_the_rest_keeps_the_id():
    journeys = reached(not_allowed_to_transfer_to_that_account={BENEFICIARY: 2}, beneficiary_not_allowed={BENEFICIARY: 2},
                       my_transfer_failed={DECLINED: 1})  # 4 of 48 failed searches reached the article: < 1/4
    after, notes = topic_journeys.apply([row()], journeys, vector, topic_label)
    # "cannot transfer to my friend" (no journey) is nearer the taken part's centre: it goes with it
    assert labels(after) == [["my transfer failed", "transfer keeps failing", "why did my transfer not work"],
                             ["beneficiary not allowed", "cannot transfer to my friend",
                              "not allowed to transfer to that account"]]
    kept, taken = after
    assert kept.id == "topic:aaaaaaaaaa" and taken.id.startswith("topic:") and taken.id != kept.id
    assert (kept.failed, taken.failed) == (40, 8)
    note = notes[id(taken)][0]
    assert (note["item"], note["kept"], note["taken"]) == (BENEFICIARY, kept.id, taken.id)
    assert "4 journeys went on from these wordings to reach " + BENEFICIARY in note["says"]
    assert notes[id(kept)][0]["item"] == BENEFICIARY
    again, _ = topic_journeys.apply([row()], journeys, vector, topic_label)
    assert [t.id for t in again] == [kept.id, taken.id]  # the next report: the same ids, decisions attach


def test_journeys_for_a_quarter_of_the_row_make_it_that_items_and_too_few_say_nothing():
    many = reached(my_transfer_failed={BENEFICIARY: 9}, beneficiary_not_allowed={BENEFICIARY: 3})  # 12 of 48
    few = reached(beneficiary_not_allowed={BENEFICIARY: 2})
    for journeys in (many, few, {}):
        after, notes = topic_journeys.apply([row()], journeys, vector, topic_label)
        assert labels(after) == labels([row()]) and after[0].id == "topic:aaaaaaaaaa" and not notes


def test_a_wording_searched_often_from_which_a_few_journeys_strayed_to_the_item_stays():
    strayed = reached(my_transfer_failed={BENEFICIARY: 3})  # 3 of its 20 failed searches: not its answer
    after, notes = topic_journeys.apply([row()], strayed, vector, topic_label)
    assert labels(after) == labels([row()]) and not notes
    strayed["beneficiary not allowed"] = Counter({(BENEFICIARY, None): 2})
    after, _ = topic_journeys.apply([row()], strayed, vector, topic_label)  # 2 journeys alone: too few to say
    assert labels(after) == labels([row()])


def test_the_larger_part_keeps_the_rows_id():
    journeys = reached(my_transfer_failed={BENEFICIARY: 6}, why_did_my_transfer_not_work={BENEFICIARY: 3},
                       transfer_keeps_failing={BENEFICIARY: 2})  # 11 of 48: < 1/4 of the row; each its wording's
    after, notes = topic_journeys.apply([row()], journeys, vector, topic_label)
    taken, kept = after
    assert labels(after)[0] == ["my transfer failed", "transfer keeps failing", "why did my transfer not work"]
    assert (taken.failed, kept.failed) == (40, 8) and taken.id == "topic:aaaaaaaaaa" != kept.id
    assert notes[id(taken)][0]["taken"] == "topic:aaaaaaaaaa"


def test_a_row_a_leads_link_made_stays_as_the_lead_said():
    journeys = reached(not_allowed_to_transfer_to_that_account={BENEFICIARY: 3})
    lead_row = row()
    after, notes = topic_journeys.apply([lead_row], journeys, vector, topic_label, keep={id(lead_row)})
    assert after == [lead_row] and not notes
    after, _ = topic_journeys.apply([row()], journeys, vector, topic_label)
    assert labels(after)[1] == ["beneficiary not allowed", "cannot transfer to my friend",
                                "not allowed to transfer to that account"]


def test_journeys_are_counted_by_client_one_clients_three_journeys_split_nothing():
    def by(**clients):  # wording → the clients whose journeys (2 each) reached the article
        return {k.replace("_", " "): Counter({(BENEFICIARY, None, c): 2 for c in v}) for k, v in clients.items()}

    one = by(not_allowed_to_transfer_to_that_account=["c1"], beneficiary_not_allowed=["c1"])  # 4 journeys, 1 client
    after, notes = topic_journeys.apply([row()], one, vector, topic_label)
    assert labels(after) == labels([row()]) and not notes
    three = by(not_allowed_to_transfer_to_that_account=["c1", "c2"], beneficiary_not_allowed=["c3"])
    after, notes = topic_journeys.apply([row()], three, vector, topic_label)
    assert len(after) == 2 and "3 clients' (6) journeys went on" in notes[id(after[1])][0]["says"]
