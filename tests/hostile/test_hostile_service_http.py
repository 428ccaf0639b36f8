"""Issue 13 items 4, 6, 8 and 12 through the service's real HTTP entry points: the no-JS
form's Origin rule, export parameter validation, the search API's rate limit, and what is
stored of hostile customer text (masked, cleaned, reasons limited to the offered list)."""

from __future__ import annotations

import pytest
from tiers_testkit import real_build
from hostile_service_testkit import EVIL, ITEM, SITE, TOKEN, new_id, post, running_service, stored

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
@real_build
def svc(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-http")
    db_url = f"sqlite:///{folder / 'feedback.db'}"
    with running_service(db_url, folder, search_rate_limit=60, search_rate_burst=5) as (service, client):
        client.db_url = db_url
        client.revision = service.revision
        yield client


def _form(comment: str) -> dict:
    return {"item": ITEM, "value": "0", "comment": comment, "return_to": f"{SITE}/billing/refunds/"}


def test_the_no_js_form_refuses_a_foreign_origin_like_the_api(svc):
    for origin in (EVIL, "null"):
        marker = new_id("foreign")
        form = svc.post("/feedback", data=_form(marker), headers={"Origin": origin}, follow_redirects=False)
        assert form.status_code == 403 and form.json()["field"] == "Origin", form.text
        api = post(svc, [{"id": new_id(), "type": "vote", "item": ITEM, "value": 0, "comment": marker}],
                   Origin=origin)
        assert api.status_code == 403 and api.json()["field"] == "Origin"
    own = svc.post("/feedback", data=_form("from the site"), headers={"Origin": SITE}, follow_redirects=False)
    assert own.status_code == 303 and own.headers["location"].startswith(f"{SITE}/billing/refunds/#cb-thanks-")
    no_origin = svc.post("/feedback", data=_form("an old browser"), follow_redirects=False)
    assert no_origin.status_code == 303  # browsers without Origin (same as the API)
    export = svc.get("/api/v1/export", headers=AUTH).text
    assert "from the site" in export and "foreign-" not in export


@pytest.mark.parametrize("query", [
    "since=9223372036854775808", "since=-1", "since=1e3", "since=abc", "since=", "since=9007199254740993",
    "since=%EF%BC%91", "since=1&since=99999999999999999999",
])
def test_export_refuses_a_bad_since_with_a_400_naming_it(svc, query):
    response = svc.get(f"/api/v1/export?{query}", headers=AUTH)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == "since" and "since" in response.json()["error"]


def test_export_refuses_unknown_parameters_and_answers_a_good_since(svc):
    unknown = svc.get("/api/v1/export?sinse=0", headers=AUTH)
    assert unknown.status_code == 400 and unknown.json()["field"] == "sinse"
    post(svc, [{"id": new_id("since"), "type": "search", "query": "refund", "results": 1}])
    good = svc.get("/api/v1/export?since=0", headers=AUTH)
    assert good.status_code == 200 and good.text.endswith("\n") and '"since-' in good.text


def test_the_search_api_has_a_per_client_rate_limit_apart_from_events(svc):
    answers = [svc.get("/api/v1/search", params={"q": "refund"}) for _ in range(8)]
    codes = [a.status_code for a in answers]
    assert codes[:5] == [200] * 5 and 429 in codes[5:], codes
    limited = next(a for a in answers if a.status_code == 429)
    assert int(limited.headers["retry-after"]) >= 1
    assert answers[0].json()["hits"][0]["id"] == ITEM  # the limit guards a real search
    assert svc.get("/api/v1/related", params={"id": ITEM}).status_code == 429  # same bucket
    assert post(svc, [{"id": new_id(), "type": "search", "query": "x", "results": 0}]).status_code == 200


PII = ["4111.1111.1111.1111", "4111  1111  1111  1111", "4111/1111/1111/1111", "4111_1111_1111_1111",
       "4111\u00a01111\u00a01111\u00a01111", "card4111111111111111", "jöhn@exämple.com", "john\uff20example.com",
       "john at example dot com", "+44 20 7946 0958", "(555) 123-4567", "DE89 3704 0044 0532 0130 00",
       "john.doe@example.com"]
LEAKS = ["4111", "1111", "john", "jöhn", "7946", "123-4567", "3704", "DE89"]


def test_every_customer_text_field_is_masked_at_ingest(svc):
    text = " / ".join(PII)
    batch = [
        {"id": new_id("vote"), "type": "vote", "item": ITEM, "value": 0, "reason": "mail john.doe@example.com",
         "comment": text, "revision": "john.doe@example.com", "page": "/billing/refunds/?email=john.doe@example.com#x"},
        {"id": new_id("search"), "type": "search", "query": text[:200], "results": 0,
         "page": "/search/?q=john.doe@example.com"},
        {"id": new_id("click"), "type": "click", "query": "4111 1111 1111 1111", "item": ITEM, "rank": 1},
        {"id": new_id("contact"), "type": "contact", "query": "call me on +44 20 7946 0958", "channel": "email"},
    ]
    assert post(svc, batch).json() == {"accepted": 4, "duplicates": 0}
    rows = stored(svc.db_url, [e["id"] for e in batch])
    vote, search = rows[batch[0]["id"]], rows[batch[1]["id"]]
    assert vote["page"] == "/billing/refunds/" and search["page"] == "/search/"
    assert vote["reason"] is None and vote["comment"].startswith("mail [email]\n")  # not an offered reason
    assert vote["revision"] == "[email]"
    for row in rows.values():
        for field in ("query", "comment", "reason", "revision", "page"):
            value = row[field] or ""
            assert not any(leak in value for leak in LEAKS), (field, value)
    assert vote["comment"].count("[card]") == 6 and "[iban]" in vote["comment"]
    assert "[phone]" in vote["comment"] or "[number]" in vote["comment"]  # two phones joined by " / ": one run


def test_offered_reasons_and_the_manifest_revision_are_kept(svc):
    event = {"id": new_id("reason"), "type": "vote", "item": ITEM, "value": 0, "reason": "Out of date",
             "revision": svc.revision, "comment": "the price changed"}
    post(svc, [event])
    row = stored(svc.db_url, [event["id"]])[event["id"]]
    assert (row["reason"], row["revision"], row["comment"]) == ("Out of date", svc.revision, "the price changed")


def test_escapes_controls_and_bidi_overrides_are_removed_at_ingest(svc):
    hostile = "\x1b[31mred\x1b[0m \u202eevil\u202c \x07bell\x08 \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \u200bzw"
    batch = [{"id": new_id("ansi"), "type": "search", "query": hostile, "results": 0},
             {"id": new_id("ansi"), "type": "vote", "item": ITEM, "value": 0,
              "comment": "line one\r\nline two\rline three\u2028four\x9b"}]
    assert post(svc, batch).status_code == 200
    rows = stored(svc.db_url, [e["id"] for e in batch])
    assert rows[batch[0]["id"]]["query"] == "red evil bell link zw"
    assert rows[batch[1]["id"]]["comment"] == "line one\nline two\nline three\nfour"
