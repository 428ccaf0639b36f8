"""The held-out harness's realistic customers (benchmarks/search/play_customers.py, ``--customers
realistic``): a planted set of journeys played through the real carebase service (in-process,
SQLite) sends and stores what the declared model says — wrong clicks with rank bias, "No" votes
with the widget's reasons and comments in the customer's words, contacts from a page and from the
search page, over days — within the binomial spread of each declared figure; the default play
(``plain``) sends none of them."""

from __future__ import annotations

import math
import sqlite3
import sys
import time
import types
from collections import Counter
from pathlib import Path

import pytest

SEARCH_BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "search"
if str(SEARCH_BENCH) not in sys.path:
    sys.path.append(str(SEARCH_BENCH))  # last: its material.py must not hide mkdocs-material

import play  # noqa: E402
import play_customers  # noqa: E402

pytestmark = pytest.mark.slow  # ~2,600 journeys posted to a real in-process service

MODEL = play_customers.REALISTIC
SHOWN = [f"article:shown/a{i}" for i in range(1, 10)]  # nine results, never the right one for groups A and C
REMOVED, RANKED_OUT, FOUND = 700, 400, 700  # journeys per group


@pytest.fixture(scope="module")
def catalogue():
    from carebase.content.model import Article, Catalogue

    articles = [Article(id=i, path=f"{i.split(':')[1]}.md", title=f"Article {i[-2:]}", body="Text.", body_line=4,
                        revision=f"rev{n}") for n, i in enumerate([*SHOWN, "article:out/ranked-out", "article:found/it"])]
    return Catalogue(root="content", articles=tuple(articles))


def tag(n: int) -> str:
    """A word of letters for journey ``n`` (no digits: nothing a masker could take for a number)."""
    return "".join(chr(97 + d) for d in (n // 676, n // 26 % 26, n % 26))


def planted():
    """(query, ranked ids, total): A — the right article removed (not in the help centre); C — it
    exists but is ranked out of the 10 shown; B — it is shown first."""
    q = types.SimpleNamespace
    out = [(q(text=f"Where is my parcel {tag(n)}?", target="article:gone/removed"), SHOWN, 9) for n in range(REMOVED)]
    out += [(q(text=f"ranked out {tag(n)}", target="article:out/ranked-out"), SHOWN, 9) for n in range(RANKED_OUT)]
    out += [(q(text=f"found it {tag(n)}", target="article:found/it"), ["article:found/it", *SHOWN], 10)
            for n in range(FOUND)]
    return out


def within(count: int, n: int, p: float, z: float = 4.5) -> bool:
    """``count`` of ``n`` draws with chance ``p``: inside the binomial spread (z standard deviations)."""
    return abs(count - n * p) <= z * math.sqrt(n * p * (1 - p)) + 1


@pytest.fixture(scope="module")
def realistic(catalogue, tmp_path_factory):
    work = tmp_path_factory.mktemp("realistic")
    before = int(time.time() * 1000)
    db, outcome = play.play(planted(), catalogue, seed=4801, work=work, customers="realistic")
    return db, outcome, before


def stored(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def test_wrong_clicks_no_votes_and_contacts_are_sent_at_the_declared_rates(realistic):
    _, outcome, _ = realistic
    sent = outcome.sent.counts
    unseen = REMOVED + RANKED_OUT  # the right article not among the results shown
    assert within(sent["wrong clicks"], unseen, MODEL.click_anyway)
    assert sent["right clicks"] == FOUND  # a shown article is clicked, as in the plain play
    assert within(sent["no on a wrong page"], sent["wrong clicks"], MODEL.no_after_wrong)
    assert within(sent["no on the right page"], FOUND, MODEL.no_when_right)
    assert within(sent["no with a comment"], sent["no votes"], MODEL.comment_with_no)
    # yes: on the right article after a click, or after browsing to an article ranked out (never a removed one)
    assert within(outcome.browsed_voted, RANKED_OUT, 0.5)
    assert within(sent["yes votes"] - outcome.browsed_voted, FOUND, 0.3)
    unhelped = REMOVED + (RANKED_OUT - outcome.browsed_voted) + sent["no on the right page"]
    assert within(sent["contacts"], unhelped, MODEL.contact_unhelped)
    assert sent["contacts"] == sent["contacts from a page"] + sent["contacts from search"]
    assert sent["contacts from a page"] > 0 and sent["contacts from search"] > 0
    channels = {c: sent[f"channel: {c}"] for c, _ in MODEL.channels}
    share = dict(MODEL.channels)
    for channel, n in channels.items():
        assert within(n, sent["contacts"], share[channel] / sum(share.values())), channels


def test_the_wrong_result_clicked_follows_the_rank_bias(realistic):
    db, _, _ = realistic
    ranks = Counter(r for (r,) in stored(db, "SELECT rank FROM events WHERE type = 'click' AND item_id LIKE "
                                             "'article:shown/%'"))
    n = sum(ranks.values())
    norm = sum(r ** -MODEL.rank_eta for r in range(1, 10))
    for rank in (1, 2, 3, 9):
        assert within(ranks[rank], n, rank ** -MODEL.rank_eta / norm), ranks
    assert ranks[1] > ranks[2] > ranks[5] > ranks[9]


def test_the_service_stores_what_was_sent_reasons_as_reasons_comments_in_the_customers_words(realistic):
    db, outcome, _ = realistic
    sent = outcome.sent.counts
    assert outcome.accepted == sum(n for (n,) in stored(db, "SELECT count(*) FROM events"))
    rows = stored(db, "SELECT value, reason, comment, item_id, journey FROM events WHERE type = 'vote'")
    no = [r for r in rows if r[0] == 0]
    assert len(no) == sent["no votes"] and len(rows) - len(no) == sent["yes votes"]
    from carebase.widget.settings import DEFAULT_REASONS

    assert {r[1] for r in no} <= set(DEFAULT_REASONS)  # a reason the widget offers, stored as one
    assert Counter(r[1] for r in no)["Didn't answer my question"] > len(no) / 2
    comments = [r[2] for r in no if r[2]]
    assert len(comments) == sent["no with a comment"]
    queries = dict(stored(db, "SELECT journey, query FROM events WHERE type = 'search'"))
    for _, _, text, _, journey in (r for r in no if r[2]):
        assert queries[journey].lower().rstrip("?") in text.lower()  # the customer's own query, reworded
        assert "[" not in text  # nothing the masker had to hide: no PII was written
    contacts = stored(db, "SELECT item_id, query, channel, journey FROM events WHERE type = 'contact'")
    assert len(contacts) == sent["contacts"]
    assert sum(1 for item, *_ in contacts if item) == sent["contacts from a page"]
    clicked = {j: item for j, item in stored(db, "SELECT journey, item_id FROM events WHERE type = 'click'")}
    for item, query, _, journey in contacts:  # from the page the customer was on, or with the last search
        assert (item == clicked[journey]) if item else (query == queries[journey])


def test_the_journeys_span_days_inside_the_reports_period(realistic):
    from carebase.report.period import resolve

    db, outcome, before = realistic
    first, last = stored(db, "SELECT min(received_ms), max(received_ms) FROM events")[0]
    days = {d for (d,) in stored(db, "SELECT DISTINCT received_ms / 86400000 FROM events")}
    assert len(days) >= MODEL.days - 1 and outcome.days >= MODEL.days - 1
    assert last <= int(time.time() * 1000) and first >= before - (MODEL.days + 1) * 86_400_000
    periods = resolve(None, None, None, None, latest_ms=last)
    assert first >= periods.current.since_ms  # every event in the report's default 28-day period
    # each page's events are received when the customer was there: a journey's vote after its search
    late = stored(db, "SELECT count(*) FROM events v JOIN events s ON s.journey = v.journey AND s.type = 'search' "
                      "WHERE v.type = 'vote' AND v.received_ms <= s.received_ms")
    assert late == [(0,)]


def test_the_default_play_is_unchanged(catalogue, tmp_path):
    db, outcome = play.play(planted()[:300] + planted()[-300:], catalogue, seed=4801, work=tmp_path)
    kinds = dict(stored(db, "SELECT type, count(*) FROM events GROUP BY type"))
    assert set(kinds) == {"search", "click", "vote"}
    assert stored(db, "SELECT count(*) FROM events WHERE type = 'vote' AND value = 0") == [(0,)]
    assert stored(db, "SELECT count(*) FROM events WHERE type = 'click' AND item_id LIKE 'article:shown/%'") == [(0,)]
    first, last = stored(db, "SELECT min(received_ms), max(received_ms) FROM events")[0]
    assert last - first < 600_000  # received as played, within minutes
    assert outcome.sent.counts["no votes"] == outcome.sent.counts["contacts"] == 0


def test_an_unknown_customer_model_is_refused(catalogue):
    with pytest.raises(ValueError, match="customers: expected one of plain, realistic, found 'real'"):
        play.play(planted()[:1], catalogue, customers="real")


def test_a_post_on_a_connection_the_service_closed_is_sent_again_on_a_new_one(catalogue, tmp_path):
    """play.Service keeps one connection open for every post; one the service closed while it idled
    (uvicorn's keep-alive timeout) fails as the post is sent, before anything is received: the post
    goes again on a new connection, stored once."""
    import socket
    import threading

    service = play.Service(catalogue, tmp_path)
    try:
        service.post([{"id": "journey01-s", "type": "search", "query": "first", "results": 9, "journey": "journey01"}], "198.18.0.1")
        closer = socket.create_server(("127.0.0.1", 0))  # accepts, then closes: a connection gone stale

        def close_once():
            conn, _ = closer.accept()
            conn.recv(65536)
            conn.close()
        threading.Thread(target=close_once, daemon=True).start()
        service._connection.close()
        service._connection.host, service._connection.port = closer.getsockname()[:2]
        answer = service.post([{"id": "journey02-s", "type": "search", "query": "second", "results": 9, "journey": "journey02"}],
                              "198.18.0.2")
        closer.close()
    finally:
        service.stop()
    assert answer == {"accepted": 1, "duplicates": 0}
    assert stored(service.db, "SELECT query FROM events ORDER BY received_ms") == [("first",), ("second",)]
