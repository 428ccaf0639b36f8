"""A small need typed in a Fix page's own keyword joins the page's Fix row (``report.page_needs.fold``).

The demo (session 46): "Tenant", "Send back" and "Prorated" were gap rows of 3 failed searches, each a
keyword of a page with a Fix row whose customers clicked it from that word and voted "No" — the page's own
customers. ``fold`` read the wordings that led to a page from its Failing content row's five most clicked
wordings only, so a keyword with fewer clicks than five bigger ones never joined and the lead was asked to
write an article about "Tenant" beside the page that covers tenants."""

from __future__ import annotations

from types import SimpleNamespace

from carebase.report import page_needs

PAGE_ID = "article:app-and-account/share-access-with-family"
ITEM = SimpleNamespace(id=PAGE_ID, title="Share access with your household", kind="article", summary="",
                       keywords=["family", "share", "invite", "guest", "partner", "roommate", "tenant"], tags=[])
CATALOGUE = SimpleNamespace(get=lambda item_id: ITEM if item_id == PAGE_ID else None)
FIVE = ["share access", "share", "share access household", "family", "invite"]  # its most clicked, shown on its row


def key_of(text: str) -> list[str]:
    return [w for w in text.lower().split() if w not in {"your", "with", "my"}]


def _page():
    return {"id": PAGE_ID, "kind": "article", "title": ITEM.title, "insufficient": False, "impact": 66.7,
            "n": 131, "unhelpful": 88, "url": "", "category": "app-and-account",
            "source": {"path": "app-and-account/share-access-with-family.md", "line": 2, "href": ""},
            "queries": [{"query": q, "count": 40 - i} for i, q in enumerate(FIVE)]}


def _tenant():
    return {"topic_id": "topic:tenant", "status": "gap", "label": "tenant", "title": "Tenant", "failed": 3, "bad": 2,
            "clients": 3, "queries": [{"query": "tenant", "count": 3}], "all_queries": [{"query": "tenant", "count": 3}]}


def test_a_keyword_whose_customers_voted_the_page_down_joins_its_fix_row():
    page, need = _page(), _tenant()
    votes = {PAGE_ID: {"tenant": [3, 2], "share access": [60, 40]}}  # page_votes.votes_by_search of the Fix pages
    page_needs.fold([page], [need], CATALOGUE, key_of, votes)
    assert need["status"] == "poor answer" and need["in_backlog"]["key"] == f"fix:{PAGE_ID}"
    assert need["closest"]["id"] == PAGE_ID and "suggestion" not in need


def test_without_the_journeys_votes_only_the_five_most_clicked_wordings_lead_there():
    page, need = _page(), _tenant()
    page_needs.fold([page], [need], CATALOGUE, key_of)
    assert need["status"] == "gap" and "in_backlog" not in need


def test_a_need_whose_words_the_page_does_not_say_stays_a_gap():
    page = _page()
    need = dict(_tenant(), label="landlord", title="Landlord", queries=[{"query": "landlord access", "count": 3}],
                all_queries=[{"query": "landlord access", "count": 3}])
    page_needs.fold([page], [need], CATALOGUE, key_of, {PAGE_ID: {"landlord access": [3, 2]}})
    assert need["status"] == "gap" and need["near_page"]["id"] == PAGE_ID


def test_a_twin_judged_on_the_pages_votes_is_not_folded_back_into_its_fix_row():
    # the classifier turned it into a gap (report.landed_votes: the page's own customers are helped); its row's
    # listed wordings (all_queries is cut) may still look like the page's own words to fold: its verdict stands
    page = _page()
    need = dict(_tenant(), near_page={"id": PAGE_ID, "title": ITEM.title, "searches": 3, "votes": 3, "voted_no": 2,
                                      "at_fault": False, "own": {"n": 128, "unhelpful": 86}, "twin": "poor answer"})
    page_needs.fold([page], [need], CATALOGUE, key_of, {PAGE_ID: {"tenant": [3, 2]}})
    assert need["status"] == "gap" and "in_backlog" not in need and need["near_page"]["twin"] == "poor answer"
