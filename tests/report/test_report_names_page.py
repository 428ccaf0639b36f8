"""A gap typed in a page's own words says so (``report.page_needs.names_page``).

The demo (session 47): "Partner", "Roommate" (keywords of *Share access with your household*), "Screws",
"Setup code", "Cost" were Write rows ("Write an article about “Partner”", the page "0.33 similar") though
search shows that page first for them and it says it covers them: a lead wrote a second page about
partners. The label stands (their customers did not take the page, so it is no answer of theirs); the row,
the backlog's why and missing.csv name the page so the lead looks at it first."""

from __future__ import annotations

from types import SimpleNamespace

from carebase.backlog.rows import build_rows
from carebase.report import html_sections, page_needs, render_text

PAGE_ID = "article:app-and-account/share-access-with-family"
ITEM = SimpleNamespace(id=PAGE_ID, title="Share access with your household", kind="article", summary="",
                       keywords=["family", "share", "invite", "partner", "roommate"], tags=[])
OTHER = SimpleNamespace(id="article:billing/refunds", title="Refunds", kind="article", summary="", keywords=[], tags=[])
CATALOGUE = SimpleNamespace(get={PAGE_ID: ITEM, OTHER.id: OTHER}.get)


def key_of(text: str) -> list[str]:
    return [w for w in text.lower().split() if w not in {"how", "do", "i", "my", "with", "your"}]


def _gap(title: str, queries: dict[str, int], replay: list[str]) -> dict:
    failed = sum(queries.values())
    rows = [{"query": q, "count": n} for q, n in queries.items()]
    return {"topic_id": f"topic:{title.lower()}", "key": title.lower(), "label": title.lower(), "title": title,
            "rank": 1, "status": "gap", "failed": failed, "counted": failed, "clients": failed, "searches": failed + 2,
            "variants": len(queries), "zero": 0, "abandoned": 3, "bad": failed - 3, "contact": 0,
            "queries": rows, "all_queries": rows, "why_grouped": [], "wording_keys": list(queries),
            "trend": {"label": "new", "previous": 0, "change": None},
            "replay": [{"id": i} for i in replay], "action": f"Write an article about “{title}”",
            "closest": {"id": PAGE_ID, "title": ITEM.title, "category": "app-and-account",
                        "source": {"path": "app-and-account/share-access-with-family.md", "line": 1, "href": ""},
                        "why": "nearest, 0.33 similar (below 0.65)"},
            "evidence": {"most_similar": {"id": PAGE_ID, "title": ITEM.title, "similarity": 0.33}, "threshold": 0.65},
            "suggestion": {"path": "app-and-account/partner.md", "href": "", "title": title, "keywords": [title.lower()]}}


def test_a_gap_in_a_pages_own_words_names_the_page_in_every_view(catalogue):
    need = _gap("Partner", {"partner": 4, "how do i partner": 1}, [OTHER.id, PAGE_ID])
    page_needs.names_page([need], CATALOGUE, key_of)
    assert need["status"] == "gap"  # the label stands
    assert need["names_page"] == {"id": PAGE_ID, "title": ITEM.title, "searches": 5, "shown": 2}
    said = ("5 of these 5 failed searches use only words “Share access with your household” says it covers "
            "(its title, summary or keywords), and search shows it to them (result 2): check that page before "
            "writing a new one")
    assert said in html_sections._cluster_row(need, 5)
    assert said in "".join(render_text._topic_table("Searched", [need]))
    report = {"summary": {"baseline": 0.2}, "failing": [], "items": [],
              "stale": {"falling": [], "revisions": [], "overdue": []},
              "coverage": {"faq_promotions": [], "videos_without_transcript": [], "categories": []},
              "missing": {"clusters": [need], "keywords": [], "grouped_with": {"kind": "embedding"}}, "assistants": {}}
    write, = build_rows(report, catalogue, key_of)[0]  # the synthetic help centre's owners
    assert write["action"] == "write" and said[0].upper() + said[1:] in write["why"]
    assert write["evidence"]["names_page"]["id"] == PAGE_ID and "check that page first" in write["why_short"]
    missing_csv = render_text.render_csv(report)["missing.csv"]
    assert missing_csv.splitlines()[0].endswith('"names_page"') and missing_csv.splitlines()[1].endswith(f'"{PAGE_ID}"')


def test_a_gap_in_other_words_or_not_shown_the_page_names_none():
    other_words = _gap("Landlord", {"landlord access": 5}, [PAGE_ID])
    not_shown = _gap("Partner", {"partner": 5}, [OTHER.id])
    page_needs.names_page([other_words, not_shown], CATALOGUE, key_of)
    assert "names_page" not in other_words and "names_page" not in not_shown
