"""The lead's workspace end to end through a running service: a real ``carebase service`` process
on a real SQLite file (behind --proxy-headers, one address per customer), customers' searches and
votes posted over HTTP as the site sends them, then /report opened in headless Chromium by a lead
who reads a row, filters the backlog and records a decision that survives a reload and is stored.

The other live-report tests run the service inside the test process (``backlog_testkit``: its
events inserted straight into the database); this one goes the way a deployment does."""

from __future__ import annotations

import re
import time
import uuid

import httpx
import pytest
from service_testkit import NO_LEARNING, Service, new_id, post_events, write_site_data
from web_testkit import page_factory, save_shot

pytestmark = pytest.mark.browser

TOKEN = "lead-token-5678"
#: (wording, customers): a need the one-article help centre has nothing for, typed a few ways
GIFT = [("gift card balance", 4), ("check my gift card balance", 3), ("gift card balance check", 2)]
ADDRESS = [("change delivery address", 4), ("update my delivery address", 3)]


@pytest.fixture
def service(tmp_path):
    site = write_site_data(tmp_path / "site")
    running = Service(["--site-data", str(site), "--token", TOKEN, "--report-every", "0", "--report-dir",
                       str(tmp_path / "live"), "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1",
                       "--rate-limit", "0", *NO_LEARNING], f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        yield running
    finally:
        running.stop()


def _customers(service: Service) -> None:
    """Each customer from an address of the benchmarking range (198.18.0.0/15), one journey each:
    a search that found nothing, as the site's events.js posts it."""
    n = 0
    for need in (GIFT, ADDRESS):
        for wording, customers in need:
            for _ in range(customers):
                n += 1
                answer = post_events(service, [{"id": new_id("s"), "type": "search", "query": wording, "results": 0,
                                                "journey": uuid.uuid4().hex}],
                                     **{"x-forwarded-for": f"198.18.{n // 250}.{n % 250 + 1}"})
                assert answer.status_code == 200 and answer.json()["accepted"] == 1, answer.text
    votes = [{"id": new_id("v"), "type": "vote", "item": "article:billing/refunds", "value": 1} for _ in range(3)]
    assert post_events(service, votes, **{"x-forwarded-for": "198.18.9.9"}).json()["accepted"] == 3


def _ready(client: httpx.Client, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get("/api/v1/backlog", params={"status": "all"}).json()
        if body["ready"] and not body["building"]:
            return body
        assert not body.get("error"), body["error"]
        assert time.monotonic() < deadline, f"the live report was not built within {timeout} s"
        time.sleep(0.5)


def _links_lead_somewhere(page, lead: httpx.Client, origin: str) -> None:
    """Every link of the open page to the service answers (no 404 behind a link a lead clicks)."""
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    ours = sorted({h.split("#")[0] for h in hrefs if h.startswith(origin + "/")})
    assert ours, hrefs
    dead = [h for h in ours if lead.get(h).status_code == 404]
    assert dead == [], f"links on {page.url} answer 404: {dead}"


def test_a_lead_reads_filters_and_decides_in_the_workspace_of_a_running_service(shared_chromium, service):
    _customers(service)
    lead = httpx.Client(base_url=service.url, timeout=60, auth=("lead", TOKEN))
    assert lead.get("/report").status_code == 200  # asking starts the first build (a waiting page)
    body = _ready(lead)
    rows = {r["subject"]["title"]: r for r in body["rows"] if r["action"] == "write"}
    gift = next(r for title, r in rows.items() if "gift card" in title.lower())
    address = next(r for title, r in rows.items() if "address" in title.lower())
    assert gift["customers"] == 9 and address["customers"] == 7  # one per address, as posted
    with page_factory(shared_chromium) as make:
        page = make(viewport={"width": 1280, "height": 900}, http_credentials={"username": "lead", "password": TOKEN})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(service.url + "/report")
        row = page.locator(f'tr[data-key="{gift["key"]}"]')
        # the row as a lead reads it: the verdict, the customers' own words, the file to write
        assert row.locator(".badge").first.inner_text() == "Write"
        assert row.locator("p.why").inner_text() == "9 searches in 3 wordings failed; no item answers them."
        row.locator("summary", has_text="Evidence").click()
        assert "“gift card balance”" in row.locator("details").first.inner_text()
        assert re.search(r"gift-card-balance[-a-z]*\.md", row.inner_text())
        # a decision: status, owner and note through the row's form, saved in place
        row.locator("select[name=status]").select_option("in_progress")
        row.locator("input[name=owner]").fill("Maya Chen")
        row.locator("textarea[name=note]").fill("drafting with billing")
        row.get_by_role("button", name="Save").click()
        row.locator(".saved", has_text="Saved").wait_for()
        page.reload()
        row = page.locator(f'tr[data-key="{gift["key"]}"]')
        assert row.locator("select[name=status]").input_value() == "in_progress"
        assert row.locator("input[name=owner]").input_value() == "Maya Chen"
        assert row.locator("textarea[name=note]").input_value() == "drafting with billing"
        # a filter: the lead's own queue holds that row and not the other need's
        page.select_option("#f-owner", "Maya Chen")
        page.wait_for_url("**owner=Maya+Chen**")
        keys = page.locator("table.backlog tbody tr[data-key]").evaluate_all("rows => rows.map(r => r.dataset.key)")
        assert keys == [gift["key"]]
        page.select_option("#f-owner", "")
        page.wait_for_url(re.compile(r"owner=(&|$)"))
        assert page.locator(f'tr[data-key="{address["key"]}"]').count() == 1
        save_shot(page.locator("section#backlog"), "live-workspace-1280.png")
        # every link a lead can follow leads somewhere: with no edit URL the file to write is named as
        # text (a path relative to the service's report folder resolved against /report answered 404)
        assert row.locator(".edit").evaluate("e => e.tagName") == "SPAN"
        assert re.fullmatch(r"new file billing/gift-card-balance[-a-z]*\.md", row.locator(".edit").inner_text())
        _links_lead_somewhere(page, lead, service.url)
        row.get_by_role("link", name="all evidence").click()
        page.wait_for_url("**/report/rows/**")
        _links_lead_somewhere(page, lead, service.url)
        phone = make(viewport={"width": 390, "height": 900}, http_credentials={"username": "lead", "password": TOKEN})
        phone.goto(service.url + "/report")
        save_shot(phone.locator("section#backlog"), "live-workspace-390.png")
        assert errors == []
    stored = lead.get("/api/v1/backlog", params={"owner": "Maya Chen", "status": "in_progress"}).json()["rows"]
    assert [(r["key"], r["note"]) for r in stored] == [(gift["key"], "drafting with billing")]
    lead.close()
