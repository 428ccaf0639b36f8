"""Adversarial input on every endpoint a customer's browser (or anyone) reaches: the search API,
the answer and related APIs, the no-JavaScript search page and contact form, the events, contact
and searches APIs, the no-JavaScript vote form. Queries huge, of control characters or of mixed
scripts; parameters of the wrong type or out of range; bodies empty, malformed, oversized, of
the wrong type or encoding; odd headers. Every answer is a page or a clear 4xx naming the field
(JSON ``{"error": "…", "field": "…"}``), never a 500, and what was stored before stays."""

from __future__ import annotations

import json

import pytest
from hostile_service_testkit import write_site_data

SITE = "https://help.example.com"
QUERIES = ["x" * 20000, "\x00\x01\x02abc\x7f", "a\u202eb\u2066c", "café 東京 мир שלום 🙂", "%", "'; drop table events; --",
           " " * 5000, "🙂" * 3000, "a" * 300 + " " + "b" * 300, "\ufffd\ufeff"]
PARAMS = [("limit", "-1"), ("limit", "abc"), ("limit", "99999999999999999999"), ("limit", "1.5"), ("kind", "x"),
          ("type", "nonsense"), ("lang", "zz"), ("lang", "../../etc"), ("offset", "-5"), ("offset", "1e9"),
          ("shown", "-1"), ("shown", "1e99"), ("j", "x" * 500), ("from", "\x00"), ("from", "//evil.example/")]
BODIES = [b"", b"   ", b"{", b"null", b"[]", b'"x"', b"123", b"\xed\xb3\xbf", b"\xff\xfe\x00", b"[" * 50000 + b"]" * 50000,
          b'{"name": 1, "email": [], "message": {}}', b'{"events": "all"}', b'{"events": [{"type": 7}]}',
          json.dumps({"name": "A", "email": "a@b.co", "message": "x" * 200000}).encode(),
          json.dumps({"name": "A", "email": "not-an-email", "message": "hello there"}).encode(),
          json.dumps({"name": "A" * 10000, "email": "a@b.co", "message": "hello there"}).encode(),
          json.dumps({"name": "A", "email": "a@b.co", "message": "hello there", "searches": "notalist"}).encode(),
          json.dumps({"name": "A", "email": "a@b.co", "message": "hello there", "page": 5, "item": ["x"]}).encode()]
POSTS = ["/api/v1/contact", "/api/v1/contact/searches", "/api/v1/events", "/feedback", "/contact"]
HEADERS = [{"Content-Length": "abc"}, {"Origin": "null"}, {"Origin": "x" * 10000}, {"Referer": "\x00"},
           {"Referer": "http://" + "a" * 10000}, {"Accept-Language": "x" * 5000}, {"DNT": "maybe"}, {"Sec-GPC": "2"},
           {"X-Forwarded-For": "1.2.3.4, " * 1000}, {"Content-Type": "application/json; charset=utf-32"},
           {"User-Agent": "x" * 10000}]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from starlette.testclient import TestClient

    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig

    tmp = tmp_path_factory.mktemp("inputs")
    folder = write_site_data(tmp)
    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp / 'feedback.db'}", site_data=str(folder), rate_limit=0,
                                   search_rate_limit=0, learn_every=0, report_every=0, allowed_origins=(SITE,)))
    with TestClient(app, base_url="http://service.test", raise_server_exceptions=False) as c:
        yield c


def _clear(answer, what: str) -> None:
    """No 500; a 4xx in JSON names its field, and its message says what was expected."""
    assert answer.status_code < 500, (what, answer.status_code, answer.text[:300])
    if answer.status_code >= 400 and answer.headers.get("content-type", "").startswith("application/json"):
        body = answer.json()
        assert body.get("field") and body.get("error"), (what, body)
        assert len(answer.content) < 2000, (what, len(answer.content))  # nothing huge echoed back


@pytest.mark.slow  # the service app in process, ~700 requests
def test_no_input_gets_a_500_and_every_refusal_names_its_field(client):
    stored = {"events": [{"id": "kept-before-1", "type": "vote", "item": "article:billing/refunds", "value": 1}]}
    assert client.post("/api/v1/events", json=stored, headers={"Origin": SITE}).json() == {"accepted": 1, "duplicates": 0}
    for q in QUERIES:
        for path in ("/api/v1/search", "/search/", "/api/v1/answer", "/api/v1/related", "/contact/"):
            _clear(client.get(path, params={"q": q}), f"{path} q={q[:20]!r}")
    for key, value in PARAMS:
        for path in ("/api/v1/search", "/search/", "/api/v1/answer", "/api/v1/related", "/contact/", "/contact/open"):
            _clear(client.get(path, params={"q": "refund", key: value}), f"{path} {key}={value[:20]!r}")
    for body in BODIES:
        for path in POSTS:
            for kind in ("application/json", "application/x-www-form-urlencoded", "text/plain"):
                _clear(client.post(path, content=body, headers={"Origin": SITE, "Content-Type": kind}),
                       f"POST {path} {kind} {body[:30]!r}")
    for headers in HEADERS:
        for method, path in (("GET", "/search/?q=refund"), ("GET", "/contact/?from=/billing/refunds/"),
                             ("POST", "/api/v1/events"), ("POST", "/api/v1/contact"), ("GET", "/api/v1/search?q=refund")):
            _clear(client.request(method, path, headers={"Origin": SITE, **headers},
                                  content=b'{"events": []}' if method == "POST" else None), f"{method} {path} {headers}")
    # what was stored before the barrage is still there, once
    again = client.post("/api/v1/events", json=stored, headers={"Origin": SITE}).json()
    assert again == {"accepted": 0, "duplicates": 1}
    assert client.get("/healthz").status_code == 200


@pytest.mark.slow
@pytest.mark.parametrize("path, names", [("/api/v1/contact", '"name", "email", "message"'),
                                         ("/api/v1/contact/searches", '"searches"'),
                                         ("/api/v1/events", '"events"')])
def test_an_empty_body_is_told_what_its_endpoint_reads(client, path, names):
    """Fails on the old code: an empty body to the contact APIs was told to send {"events": [...]}."""
    answer = client.post(path, content=b"", headers={"Origin": SITE, "Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["field"] == "body"
    assert answer.json()["error"].startswith("empty body: expected JSON {" + names), answer.json()
