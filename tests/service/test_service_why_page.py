"""The no-JS "No" and its reasons page against what a bot posts (the service app in process
writing a real SQLite file, read back). The reader's findings of session 41: 3, the reasons page
was answered before the honeypot was looked at, and its own form had no honeypot, so a bot that
filled ``website`` was handed a form that stored a vote with any comment; 8, the form's ``lang``
was passed to the strings' unbounded cache (each made-up code kept in memory, and naming a
file), and a malformed one refused the vote (400)."""

from __future__ import annotations

import html
import re

import pytest
from service_testkit import SITE
from starlette.testclient import TestClient

from carebase.service.app import create_app
from carebase.service.config import ServiceConfig

pytestmark = pytest.mark.slow  # the service app with its site data, in process

ITEM = "article:billing/refunds"
NO = {"item": ITEM, "value": "0", "scale": "helpful", "revision": "r1", "lang": "en",
      "return_to": f"{SITE}/billing/refunds/", "ask": "reason comment", "website": ""}
THANKS = f"{SITE}/billing/refunds/#cb-thanks-article-billing-refunds"


@pytest.fixture
def client(tmp_path, site_data):
    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", allowed_origins=(SITE,),
                                   site_data=str(site_data), rate_limit=0, learn_every=0, report_every=0))
    with TestClient(app, base_url="http://service.test", headers={"Origin": SITE}) as c:
        c.app_state = app.state.carebase
        yield c


def votes(client, *columns: str) -> list[tuple]:
    from sqlalchemy import select

    from carebase.store.schema import events

    names = columns or ("item_id", "value", "comment")
    with client.app_state.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(*(events.c[n] for n in names)))]


def reasons_form(text: str) -> dict:
    """The reasons page's form fields as a browser would post them (hidden and text inputs)."""
    fields = re.findall(r'<input type="(?:hidden|text)" (?:id="[^"]*" )?name="([^"]+)" value="([^"]*)"', text)
    return {name: html.unescape(value) for name, value in fields}


def test_a_filled_honeypot_on_the_no_gets_the_thanks_not_the_reasons_page(client):
    """Fails on 5d35a91: 200 with the reasons page, whose form then stored a vote with a comment."""
    response = client.post("/feedback", data={**NO, "website": "http://spam.example"}, follow_redirects=False)
    assert (response.status_code, response.headers.get("location")) == (303, THANKS)
    assert votes(client) == []


def test_the_reasons_page_carries_the_honeypot_and_a_filled_one_stores_no_reason(client):
    page = client.post("/feedback", data=NO, follow_redirects=False)
    assert page.status_code == 200
    fields = reasons_form(page.text)
    assert fields.get("website") == ""  # fails on 5d35a91: the reasons form had no honeypot
    assert votes(client) == [(ITEM, 0, None)]  # the No itself is kept at once
    bot = client.post("/feedback", data={**fields, "comment": "buy cheap pills", "website": "x"}, follow_redirects=False)
    assert (bot.status_code, bot.headers.get("location")) == (303, THANKS)
    assert votes(client) == [(ITEM, 0, None)]
    # a person (the honeypot left empty) still sends the reason, under the same vote key
    person = client.post("/feedback", data={**fields, "comment": "the steps changed"}, follow_redirects=False)
    assert (person.status_code, person.headers.get("location")) == (303, THANKS)
    # stored under the No's vote key (the latest per key counts: one vote, with its reason)
    assert set(votes(client)) == {(ITEM, 0, None), (ITEM, 0, "the steps changed")}


def test_a_filled_honeypot_under_do_not_track_gets_the_thanks_too(client):
    response = client.post("/feedback", data={**NO, "website": "x"}, headers={"DNT": "1"}, follow_redirects=False)
    assert (response.status_code, response.headers.get("location")) == (303, THANKS)
    assert votes(client) == []


@pytest.mark.parametrize("lang", ["not a code!", "../../../../etc/passwd", "x" * 300])
def test_a_malformed_lang_on_the_form_is_the_sites_default_not_a_refused_vote(client, lang):
    """Fails on 5d35a91: 400 naming lang (the form is the site's own: a vote is never refused for it)."""
    yes = client.post("/feedback", data={**NO, "value": "1", "ask": "", "lang": lang}, follow_redirects=False)
    assert (yes.status_code, yes.headers.get("location")) == (303, THANKS)
    no = client.post("/feedback", data={**NO, "lang": lang}, follow_redirects=False)
    assert no.status_code == 200 and '<html lang="en"' in no.text and "Sorry this didn" in no.text  # the default language's page
    assert sorted(votes(client, "value", "lang")) == [(0, None), (1, None)]


def test_made_up_languages_keep_no_strings_in_memory_and_a_regional_code_reads_its_language(client):
    """Fails on 5d35a91: each made-up code (well formed, on a site of one language) was a new
    entry of the strings' cache (200 posts: 200 entries)."""
    from carebase.strings import _shipped_catalogue as builtin, shipped  # the cache behind builtin()

    client.post("/feedback", data={**NO, "lang": "en"}, follow_redirects=False)
    before = builtin.cache_info().currsize
    for n in range(200):
        page = client.post("/feedback", data={**NO, "lang": f"en-x{n:04d}", "revision": f"r{n}"},
                           follow_redirects=False)
        assert page.status_code == 200
    assert builtin.cache_info().currsize <= max(before, len(shipped()))
    german = client.post("/feedback", data={**NO, "lang": "de-AT"}, follow_redirects=False)
    assert "Schade, dass das nicht geholfen hat" in german.text
