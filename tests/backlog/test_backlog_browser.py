"""The live report in headless Chromium against the real service with simulated traffic: filter by
owner, change a status, assign, reload — the decisions persist; a lead's "two needs" link is
saved in place with the keyboard and undone (SQLite; PostgreSQL's are proven
through HTTP in test_backlog_live.py); a row
marked done shows its before/after once new votes arrive; axe finds no violation; with
$CAREBASE_SHOTS set, screenshots of the desktop and a 390 px phone, light and dark, are saved there
for people to look at."""

from __future__ import annotations

import pytest
from backlog_testkit import TOKEN
from clock_testkit import real_ms
from web_testkit import describe, page_factory, run_axe, save_shot

pytestmark = pytest.mark.browser


def open_report(make, service, path: str = "/report", *, width: int = 1280, axe: bool = False):
    """A page of the live report in a fresh context of ``make`` (web_testkit.page_factory), signed in."""
    # axe is injected as a script the page's Content-Security-Policy would (rightly) refuse
    page = make(viewport={"width": width, "height": 900}, bypass_csp=axe,
                http_credentials={"username": "lead", "password": TOKEN})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(service.url + path)
    return page, errors


def decide(page, key: str, *, status: str | None = None, owner: str | None = None, note: str | None = None) -> None:
    row = page.locator(f'tr[data-key="{key}"]')
    if status:
        row.locator("select[name=status]").select_option(status)
    if owner is not None:
        row.locator("input[name=owner]").fill(owner)
    if note is not None:
        row.locator("textarea[name=note]").fill(note)
    row.get_by_role("button", name="Save").click()
    row.locator(".saved", has_text="Saved").wait_for()


def test_filter_by_owner_assign_and_change_status_persist_across_reloads(shared_chromium, sqlite_live):
    service, _ = sqlite_live
    owner = "Aisha Rahman"
    key = next(r["key"] for r in service.backlog(owner=owner)["rows"] if r["action"] == "write")
    topics = [r for r in service.backlog(status="all")["rows"] if (r.get("topic") or "").startswith("topic:")]
    shown = {r["key"] for r in service.backlog()["rows"][:50]}  # the page's first page
    a = next(r for r in topics if r["key"] in shown)
    b = next(r for r in topics if r["key"] != a["key"])
    with page_factory(shared_chromium) as make:
        page, errors = open_report(make, service)
        # a lead says two rows are two needs, with the keyboard, saved in place; then undoes it
        links = page.locator(f'tr[data-key="{a["key"]}"] details.links')
        links.locator("summary").focus()
        page.keyboard.press("Enter")
        links.get_by_label("Other row").fill(b["topic"])
        links.get_by_role("button", name="Two needs").focus()
        page.keyboard.press("Enter")
        links.get_by_text("Saved as link").wait_for()
        [link] = service.client.get("/api/v1/backlog/links").json()["links"]
        assert (link["kind"], link["topic"], link["other"]) == ("two", a["topic"], b["topic"])
        links.get_by_role("button", name=f"Undo link {link['id']}").press("Enter")
        links.get_by_text(f"Link {link['id']} removed").wait_for()
        assert service.client.get("/api/v1/backlog/links").json()["links"] == []
        # a wording of the row's own need marked "Keep in this row": a "same" link at that wording
        wording = links.locator('select[name="wording"] option').first.inner_text()
        links.get_by_role("button", name="Keep in this row").click()
        links.get_by_text("Saved as link").wait_for()
        [kept] = service.client.get("/api/v1/backlog/links").json()["links"]
        assert (kept["kind"], kept["topic"], kept["other"], kept["wording"]) == ("same", a["topic"], None,
                                                                                 " ".join(wording.split()))
        links.get_by_role("button", name=f"Undo link {kept['id']}").click()
        links.get_by_text(f"Link {kept['id']} removed").wait_for()
        assert service.client.get("/api/v1/backlog/links").json()["links"] == []
        page.select_option("#f-owner", owner)  # applies at once (a plain GET form without JavaScript)
        page.wait_for_url("**owner=Aisha+Rahman**")
        owners = page.locator("table.backlog tbody tr td:nth-child(3) a").all_inner_texts()
        assert owners and set(owners) == {owner}
        decide(page, key, status="in_progress", owner="Maya Chen", note="drafting with the billing team")
        page.reload()
        assert page.locator(f'tr[data-key="{key}"]').count() == 0  # assigned away from this owner's queue
        page.select_option("#f-owner", "Maya Chen")
        page.wait_for_url("**owner=Maya+Chen**")
        row = page.locator(f'tr[data-key="{key}"]')
        assert row.locator("select[name=status]").input_value() == "in_progress"
        assert row.locator("input[name=owner]").input_value() == "Maya Chen"
        assert row.locator("textarea[name=note]").input_value() == "drafting with the billing team"
        assert errors == []
    stored = service.backlog(owner="Maya Chen", status="in_progress")["rows"]
    assert key in [r["key"] for r in stored]  # in the service's database, whichever backend


#: the report page's states axe checks: (palette, width), light first. The dark palette changes
#: colours only (html_assets.py: its ``prefers-color-scheme`` block sets nothing but colours), so
#: there it runs web_testkit.COLOUR_RULES; each width is a page loaded at that width.
AXE_STATES = [("light", 1366), ("light", 390), ("dark", 390), ("dark", 1366)]


def test_a_done_row_shows_before_and_after_when_new_votes_arrive_and_the_page_passes_axe(shared_chromium, sqlite_live):
    """One page for all of it: the row marked done on the phone-width page, the votes, "Refresh now";
    then the page loaded again at 1366 px shows the row's before/after, and axe checks each state
    (the widths' reloads are the page loads that show the rebuilt model)."""
    service, truth = sqlite_live
    fixes = [r for r in service.backlog()["rows"] if r["action"] == "fix" and r["item"] in truth.failing]
    fix = max(fixes, key=lambda r: r["evidence"]["votes"]["n"])
    with page_factory(shared_chromium) as make:  # the palette is emulated, each width loaded again
        page, errors = open_report(make, service, "/report?status=all", width=390, axe=True)
        decide(page, fix["key"], status="done", note="rewritten for the new app")
        service.vote(fix["item"], 1, 25)  # customers find the rewritten page helpful
        asked = real_ms()  # the model's built_ms is its file's time: the system clock
        page.get_by_role("button", name="Refresh now").click()
        service.ready(after_ms=asked)
        for n, (scheme, width) in enumerate(AXE_STATES):
            page.emulate_media(color_scheme=scheme)
            if page.evaluate("innerWidth") != width:
                page.set_viewport_size({"width": width, "height": 900})
                page.reload()
            assert page.evaluate("innerWidth") == width
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways panning
            assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
            if n == 0:  # the first page loaded since the rebuild
                follow = page.locator(f'tr[data-key="{fix["key"]}"] p.follow').inner_text()
                assert "Did the fix work?" in follow and "fixed it" in follow and "25 votes, 0 % unhelpful" in follow, follow
            first_links = page.locator("details.links").first  # a topic row's same need / two needs forms, open
            if not first_links.evaluate("d => d.open"):
                first_links.locator("summary").click()
            assert first_links.evaluate("d => d.open")
            violations = run_axe(page, colours_only=scheme == "dark")
            assert violations == [], f"{width} px, {scheme}:\n" + describe(violations)
            save_shot(page, f"live-{width}-{scheme}.png")
            page.locator(f'tr[data-key="{fix["key"]}"]').scroll_into_view_if_needed()
            save_shot(page, f"live-{width}-{scheme}-done-row.png")
            assert errors == []


def test_the_waiting_page_reloads_once_when_the_report_is_ready_and_passes_axe(shared_chromium, sqlite_live, monkeypatch):
    """Session 39's audit: while a period's report was built the live report's page carried
    ``<meta http-equiv="refresh" content="5">`` (axe: ``meta-refresh``, WCAG 2.2.1, a timed
    reload a lead cannot stop, every 5 s). Now the page asks the service whether the report is
    ready (``X-Carebase-Poll``: 202 while building, 204 when built) and reloads once, when it
    is; "Reload" does it without JavaScript. Fails on the old code (the meta refresh, axe's
    violation, no answer to the poll)."""
    import base64
    import urllib.request
    from types import SimpleNamespace

    from carebase.backlog.filters import View
    from carebase.report import render_live

    service, _ = sqlite_live
    # the real service answers the poll without rendering: 204 for the period it has built
    ask = urllib.request.Request(service.url + "/report", headers={
        "X-Carebase-Poll": "1", "Authorization": "Basic " + base64.b64encode(f"lead:{TOKEN}".encode()).decode()})
    with urllib.request.urlopen(ask) as answer:
        assert (answer.status, answer.read()) == (204, b"")
    monkeypatch.setattr(render_live, "POLL_MS", 150)
    status = SimpleNamespace(building=True, error=None, built_ms=None, started_s=None)
    waiting = render_live.waiting_page(View(), status, 0)
    site = "http://127.0.0.1:9"  # never reached: page.route answers (a local page, so axe.min.js may load)
    polls: list[str] = []
    loads: list[str] = []
    built: list[bool] = []  # the report is ready once axe has read the waiting page

    def answer(route):
        if route.request.headers.get("x-carebase-poll"):
            polls.append(route.request.url)
            route.fulfill(status=204 if built else 202)
            return
        loads.append(route.request.url)
        if built:
            route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>r</title><h1>The report</h1>")
        else:
            route.fulfill(status=200, content_type="text/html", body=waiting,
                          headers={"Content-Security-Policy": render_live.csp()})  # the service's: its scripts run

    with page_factory(shared_chromium) as make:
        page = make(viewport={"width": 390, "height": 900})
        page.set_content(waiting)  # axe reads it here (axe.min.js by URL would not load into a routed page)
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        assert page.get_by_role("link", name="Reload").get_attribute("href") == "/report"
        violations = run_axe(page)
        assert violations == [], describe(violations)
        page.route(site + "/**", answer)
        page.goto(site + "/report")
        page.wait_for_timeout(400)  # it keeps asking while the report is built, and stays
        assert page.get_by_role("heading", name="Backlog").is_visible()
        asked = len(polls)
        built.append(True)
        page.get_by_role("heading", name="The report").wait_for(timeout=10000)  # reloaded by itself, once
        assert loads == [site + "/report"] * 2, loads
        assert asked >= 1 and len(polls) == asked + 1 and set(polls) == {site + "/report"}, polls
