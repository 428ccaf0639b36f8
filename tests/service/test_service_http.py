"""CORS, origins, the no-JS form, honeypot, health, export, report, OpenAPI — over real HTTP."""

from __future__ import annotations

import json

import pytest
from service_testkit import NO_LEARNING, SITE, TOKEN, new_id, new_marker, post_events


def vote(**fields) -> dict:
    return {"id": new_id("v"), "type": "vote", "item": "video:setup-basics", "value": 1, **fields}


def test_preflight_is_answered_for_the_site_origin_only(service):
    ok = service.client.options("/api/v1/events", headers={
        "Origin": SITE, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == SITE
    assert "POST" in ok.headers["access-control-allow-methods"]
    other = service.client.options("/api/v1/events", headers={
        "Origin": "https://evil.test", "Access-Control-Request-Method": "POST"})
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers


def test_simple_cross_origin_post_from_the_site_is_stored_and_readable(service):
    event = vote()
    response = post_events(service, [event], Origin=SITE)  # what sendBeacon sends: text/plain, Origin
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SITE
    assert event["id"] in service.rows([event["id"]])


def test_posts_from_other_origins_are_refused_and_not_stored(service):
    event = vote()
    response = post_events(service, [event], Origin="https://evil.test")
    assert (response.status_code, response.json()["field"]) == (403, "Origin")
    assert "access-control-allow-origin" not in response.headers
    assert service.rows([event["id"]]) == {}


def form(**fields) -> dict:
    data = {"item": "faq:billing#can-i-get-a-refund", "value": "0", "scale": "helpful", "reason": "Out of date",
            "comment": "mail me: a@b.co", "revision": "r1", "return_to": f"{SITE}/faq/billing/?x=1#old",
            "website": ""}
    data.update(fields)
    return data


def rows_from_form(service, comment: str) -> list[dict]:
    return [r for r in service.rows().values() if r["comment"] == comment]


def test_no_js_form_stores_the_vote_and_redirects_to_the_thanks_anchor(service):
    marker = new_marker("form")
    response = service.client.post("/feedback", data=form(comment=marker), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{SITE}/faq/billing/?x=1#cb-thanks-faq-billing-can-i-get-a-refund"
    [row] = rows_from_form(service, marker)
    assert (row["item_id"], row["value"], row["reason"], row["revision"], row["source"], row["page"]) == (
        "faq:billing#can-i-get-a-refund", 0, "Out of date", "r1", "form", "/faq/billing/")


def test_no_js_form_without_return_to_goes_back_to_the_referer(service):
    marker = new_marker("referer")
    response = service.client.post("/feedback", data=form(comment=marker, return_to="", value="1"),
                                   headers={"Referer": f"{SITE}/billing/refunds/"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{SITE}/billing/refunds/#cb-thanks-")
    assert len(rows_from_form(service, marker)) == 1


def test_filled_honeypot_redirects_as_usual_but_stores_nothing(service):
    marker = new_marker("bot")
    response = service.client.post("/feedback", data=form(comment=marker, website="http://spam.example"),
                                   follow_redirects=False)
    assert response.status_code == 303 and "#cb-thanks-" in response.headers["location"]
    assert rows_from_form(service, marker) == []


def test_form_errors_name_the_field_and_store_nothing(service):
    marker = new_marker("bad")
    cases = [
        (form(comment=marker, return_to="https://evil.test/page/"), 400, "return_to"),
        (form(comment=marker, return_to="/relative/"), 400, "return_to"),
        (form(comment=marker, value="maybe"), 400, "value"),
        (form(comment=marker, value="3"), 400, "value"),
        (form(comment=marker, item="article:gone"), 422, "item"),
    ]
    for data, status, field in cases:
        response = service.client.post("/feedback", data=data, follow_redirects=False)
        assert (response.status_code, response.json()["field"]) == (status, field), data
    assert rows_from_form(service, marker) == []


def test_healthz(service):
    response = service.client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "sqlite", "manifest": True}


def test_export_needs_the_token_and_streams_json_lines(service):
    event = vote(comment=new_marker("exported"))
    post_events(service, [event])
    assert service.client.get("/api/v1/export").status_code == 401
    wrong = service.client.get("/api/v1/export", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    response = service.client.get("/api/v1/export", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == len(service.rows())
    [mine] = [line for line in lines if line["event_id"] == event["id"]]
    assert mine["comment"] == event["comment"] and mine["item_id"] == "video:setup-basics"
    bad = service.client.get("/api/v1/export?since=soon", headers={"Authorization": f"Bearer {TOKEN}"})
    assert (bad.status_code, bad.json()["field"]) == (400, "since")


def test_report_needs_the_token_and_says_what_it_needs(service, tmp_path):
    challenge = service.client.get("/report")
    assert challenge.status_code == 401 and challenge.headers["www-authenticate"].startswith("Basic ")
    assert service.client.get("/report", auth=("lead", "wrong")).status_code == 401
    import httpx

    from carebase.service.config import ServiceConfig
    from carebase.service.server import BackgroundService

    # a service started without a build output: the live report says what it needs
    config = ServiceConfig(database_url=f"sqlite:///{tmp_path / 'f.db'}", token=TOKEN)
    with BackgroundService(config, port=0) as bare:
        page = httpx.get(bare.url + "/report", auth=("anyone", TOKEN))  # the browser's password prompt
        assert page.status_code == 503 and "--site-data" in page.text
        assert page.headers["content-type"].startswith("text/html")
        assert "script-src 'sha256-" in page.headers["content-security-policy"]
        api = httpx.get(bare.url + "/api/v1/backlog", headers={"Authorization": f"Bearer {TOKEN}"})
        assert api.status_code == 503 and "--site-data" in api.json()["error"]


def test_openapi_document_lists_every_endpoint_and_the_event_schemas(service):
    document = service.client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) >= {"/api/v1/events", "/feedback", "/healthz", "/api/v1/export", "/report"}
    schemas = document["components"]["schemas"]
    assert schemas["Batch"]["properties"]["events"]["maxItems"] == 100
    assert schemas["HelpfulVote"]["required"] == ["id", "type", "item", "value"]
    assert schemas["CsatVote"]["properties"]["value"] == {"type": "integer", "minimum": 1, "maximum": 5}
    assert set(document["paths"]["/api/v1/events"]["post"]["responses"]) >= {"200", "400", "413", "422", "429"}
    # the search API and its pages (offset: absent before session 35, as was the endpoint)
    search = document["paths"]["/api/v1/search"]["get"]
    assert [p["name"] for p in search["parameters"]] == ["q", "type", "limit", "offset", "lang"]
    assert "400" in search["responses"]


@pytest.mark.slow  # starts a service of its own
def test_rate_limit_answers_429_with_retry_after_per_client(start_service):
    limited = start_service("--rate-limit", "1", "--rate-burst", "3", *NO_LEARNING)  # no refill during the test
    statuses = [post_events(limited, [vote()]).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    refused = post_events(limited, [vote()], Origin=SITE)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    # the widget's script on the site reads Retry-After: CORS must expose it
    assert refused.headers["access-control-allow-origin"] == SITE
    assert "retry-after" in refused.headers["access-control-expose-headers"].lower()
    assert len(limited.rows()) == 3
    form_refused = limited.client.post("/feedback", data=form(), follow_redirects=False)
    assert form_refused.status_code == 429


def test_no_raw_client_address_is_stored(service):
    event = vote(comment="ip check")
    post_events(service, [event])
    mine = service.rows([event["id"]])
    assert len(mine) == 1 and "127.0.0.1" not in json.dumps(next(iter(mine.values())))
    # other tests' rows (fuzzing included) may carry "127.0.0.1" as customer text; no
    # column the service fills itself may
    for row in service.rows().values():
        filled = {k: v for k, v in row.items() if k not in ("comment", "query", "page", "item_id", "reason")}
        assert "127.0.0.1" not in json.dumps(filled)


def test_do_not_track_and_gpc_keep_only_votes_without_identifiers(service):
    for header in ({"DNT": "1"}, {"Sec-GPC": "1"}):
        batch = [vote(vote_key="key-dnt-0001", journey="tab-dnt"),
                 {"id": new_id("s"), "type": "search", "query": "refund", "results": 0, "journey": "tab-dnt"},
                 {"id": new_id("c"), "type": "click", "item": "video:setup-basics", "rank": 1}]
        response = post_events(service, batch, **header)
        assert response.json() == {"accepted": 1, "duplicates": 0, "ignored": 2}
        rows = service.rows([e["id"] for e in batch])
        assert list(rows) == [batch[0]["id"]]
        assert rows[batch[0]["id"]]["vote_key"] is None and rows[batch[0]["id"]]["journey"] is None
        assert rows[batch[0]["id"]]["client"] is None


@pytest.mark.slow  # starts a service of its own
def test_each_event_carries_a_salted_client_hash_one_per_forwarded_address(start_service):
    """Learned phrasings count distinct clients: behind --proxy-headers each forwarded address
    gets its own salted hash (never the address), the same for every event it sends."""
    proxied = start_service("--rate-limit", "0", "--proxy-headers", *NO_LEARNING)
    sent = {}
    for address in ("198.18.0.1", "198.18.0.2", "198.18.0.1"):
        batch = [vote(), {"id": new_id("s"), "type": "search", "query": "refund", "results": 3, "journey": "tab-x"}]
        assert post_events(proxied, batch, **{"X-Forwarded-For": address}).status_code == 200
        sent.setdefault(address, []).extend(e["id"] for e in batch)
    hashes = {address: {row["client"] for row in proxied.rows(ids).values()} for address, ids in sent.items()}
    assert all(len(h) == 1 for h in hashes.values())
    first, second = (next(iter(hashes[a])) for a in ("198.18.0.1", "198.18.0.2"))
    assert first != second and len(first) == 16 and all(c in "0123456789abcdef" for c in first)
    assert "198.18" not in json.dumps(list(proxied.rows().values()))


@pytest.mark.slow  # starts a service of its own
def test_rate_limit_counts_events_not_requests(start_service):
    """A client may not get round the limit by packing 100 events in each request: a batch of
    N costs N, a refused batch stores nothing, and another client keeps its own allowance."""
    limited = start_service("--rate-limit", "1", "--rate-burst", "100", "--proxy-headers", *NO_LEARNING)  # no refill in the test
    flooder, other = {"X-Forwarded-For": "203.0.113.5"}, {"X-Forwarded-For": "198.51.100.7"}
    first = [vote() for _ in range(60)]
    assert post_events(limited, first, **flooder).json() == {"accepted": 60, "duplicates": 0}
    second = [vote() for _ in range(60)]  # two requests, 120 events: over the burst of 100
    refused = post_events(limited, second, **flooder)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert limited.rows([e["id"] for e in second]) == {}
    assert len(limited.rows()) == 60
    mine = [vote() for _ in range(5)]
    assert post_events(limited, mine, **other).json() == {"accepted": 5, "duplicates": 0}
    assert set(limited.rows([e["id"] for e in mine])) == {e["id"] for e in mine}


def test_no_js_form_posted_twice_is_one_vote_and_a_changed_vote_counts(service):
    """Pages are static, so the form carries no one-time token: the service derives the
    vote's id from the client and the posted fields within a short window."""
    marker = new_marker("twice")
    for _ in range(2):  # a double click, or a reload that posts the form again
        response = service.client.post("/feedback", data=form(comment=marker), follow_redirects=False)
        assert response.status_code == 303 and "#cb-thanks-" in response.headers["location"]
    assert [r["value"] for r in rows_from_form(service, marker)] == [0]
    changed = service.client.post("/feedback", data=form(comment=marker, value="1", reason=""), follow_redirects=False)
    assert changed.status_code == 303
    assert sorted(r["value"] for r in rows_from_form(service, marker)) == [0, 1]
    other_page = form(comment=marker, return_to=f"{SITE}/billing/refunds/")
    assert service.client.post("/feedback", data=other_page, follow_redirects=False).status_code == 303
    assert len(rows_from_form(service, marker)) == 3


def test_a_leads_same_need_and_two_needs_links_are_stored_listed_refused_with_the_field_and_undone(service):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    same = service.client.post("/api/v1/backlog/links", headers=auth,
                               json={"kind": "same", "topic": "topic:1a2b3c4d5e", "other": "topic:5e4d3c2b1a"})
    two = service.client.post("/api/v1/backlog/links", headers=auth,
                              json={"kind": "two", "topic": "ask:topic:1a2b3c4d5e", "wording": "unable to verify"})
    assert (same.status_code, two.status_code) == (201, 201)
    assert two.json()["topic"] == "topic:1a2b3c4d5e" and two.json()["wording"] == "unable to verify"
    listed = service.client.get("/api/v1/backlog/links", headers=auth).json()["links"]
    assert {lk["id"] for lk in listed} >= {same.json()["id"], two.json()["id"]}
    for body, field in (({"kind": "merge", "topic": "topic:1a2b3c4d5e", "other": "topic:5e4d3c2b1a"}, "kind"),
                        ({"kind": "same", "topic": "topic:1a2b3c4d5e"}, "other"),
                        ({"kind": "two", "topic": 7, "wording": "x"}, "topic")):
        refused = service.client.post("/api/v1/backlog/links", headers=auth, json=body)
        assert refused.status_code == 400 and refused.json()["field"] == field, refused.text
    foreign = service.client.post("/api/v1/backlog/links", headers={**auth, "Origin": "https://evil.example"},
                                  json={"kind": "same", "topic": "topic:1a2b3c4d5e", "other": "topic:5e4d3c2b1a"})
    assert foreign.status_code == 403
    assert service.client.get("/api/v1/backlog/links").status_code == 401
    for link in (same, two):
        assert service.client.delete(f"/api/v1/backlog/links/{link.json()['id']}", headers=auth).status_code == 200
    assert service.client.delete(f"/api/v1/backlog/links/{same.json()['id']}", headers=auth).status_code == 404
    left = service.client.get("/api/v1/backlog/links", headers=auth).json()["links"]
    assert not {lk["id"] for lk in left} & {same.json()["id"], two.json()["id"]}


def test_rotating_forwarded_addresses_without_proxy_headers_are_one_client(service):
    """Without --proxy-headers, X-Forwarded-For is the client's own claim: one client sending a
    new address with every batch is still one client (one salted hash), so it cannot pose as the
    several clients a learned phrasing needs; nor can it by changing its User-Agent."""
    sent = []
    for n in range(5):
        batch = [{"id": new_id("s"), "type": "search", "query": "rotating address", "results": 1,
                  "journey": f"rotating-{n}"}]
        assert post_events(service, batch, **{"X-Forwarded-For": f"198.18.{n}.1", "Forwarded": f"for=198.18.{n}.2",
                                              "X-Real-IP": f"198.18.{n}.3", "User-Agent": f"agent {n}"}).status_code == 200
        sent += [e["id"] for e in batch]
    assert len({row["client"] for row in service.rows(sent).values()}) == 1


def test_pii_split_by_invisible_characters_is_stored_masked(service):
    """A soft hyphen, ZWJ or ZWNJ inside a card number, a phone number or an address kept it
    from the masker: stored (and shown in the report) in clear until session 40."""
    typed = ["card 4111\u00ad1111\u00ad1111\u00ad1111 declined", "call +44\u200d7700\u200d900123",
             "mail jo\u200chn.smith@example.com"]
    batch = [{"id": new_id("s"), "type": "search", "query": q, "results": 0, "journey": "invisible-pii"} for q in typed]
    assert post_events(service, batch).status_code == 200
    stored = [service.rows([e["id"]])[e["id"]]["query"] for e in batch]
    assert stored == ["card [card] declined", "call [phone]", "mail [email]"]
