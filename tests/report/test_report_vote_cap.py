"""The votes one client sends beyond the per-client cap (``queries._heavy_clients``): found by two
plain passes grouped in Python, they must be exactly what a GROUP BY over (item, client, period)
gives, pair by pair and group by group, in the same order (the order decides which of a pair's
groups give up the remainder of its excess votes)."""

from __future__ import annotations

import random

import pytest
from postgres_testkit import new_database
from report_testkit import DAY_MS, START_MS
from sqlalchemy import and_, case, func, insert, literal, or_, select

from carebase.report import queries
from carebase.report.period import resolve
from carebase.report.queries import CUR, VOTES_PER_CLIENT, _bucket, _in, helpful_expr, unhelpful_expr
from carebase.store.engine import open_engine
from carebase.store.schema import events

PERIODS = resolve(None, None, None, None, latest_ms=START_MS + 60 * DAY_MS)  # the last 28 days and the 28 before


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'feedback.db'}"
    else:
        url = new_database(request.getfixturevalue("postgres_server"), "cap")
    engine = open_engine(url)
    yield engine
    engine.dispose()


def votes(seed: int) -> list[dict]:
    """Honest clients voting once, storms of fresh keys, a key sent again and again, votes on no
    item, votes before the periods; revisions, reasons and the three scales mixed."""
    rng = random.Random(seed)
    items = ["article:a", "article:b", "faq:c#q1", "video:d"]
    rows = []

    def add(item, client, day, key=None, **kw):
        n = len(rows)
        rows.append(dict(event_id=f"e{n:05d}", type="vote", received_ms=START_MS + day * DAY_MS + n, item_id=item,
                         client=client, vote_key=key, scale=kw.get("scale", "helpful"), value=kw.get("value", 0),
                         revision=kw.get("revision"), reason=kw.get("reason")))

    for n in range(300):  # honest clients, one vote each
        add(rng.choice(items), f"h{n:04d}", rng.randrange(0, 61), value=rng.choice([0, 1]), revision="r1")
    for storm in range(12):  # storms: one client, many fresh keys, mixed answers, revisions and reasons
        client = rng.choice([f"s{storm:03d}", None])  # None: votes under Do-Not-Track, one client together
        item = rng.choice(items + [None])
        for n in range(rng.randrange(2, 30)):
            scale = rng.choice(["helpful", "csat", "ces"])
            value = {"helpful": rng.choice([0, 1]), "csat": rng.randrange(1, 6), "ces": rng.randrange(1, 8)}[scale]
            add(item, client, rng.randrange(0, 61), key=f"k{storm}-{rng.randrange(0, 12)}", scale=scale, value=value,
                revision=rng.choice(["r1", "r2", None]), reason=rng.choice([None, "Out of date", "Too long", ""]))
    for n in range(6):  # one key sent six times: one vote, never over the cap
        add("article:a", "again", 50, key="same", value=0)
    for n in range(VOTES_PER_CLIENT):  # exactly the cap: not over it
        add("article:b", "at-cap", 50, key=f"cap-{n}", value=0)
    return rows


def in_sql_order(key) -> tuple:
    return tuple(queries._sql_order(v) for v in key)


def by_group_by(conn) -> dict:
    """The pairs over the cap and their groups as one GROUP BY over the pairs gives them (the
    report's query before the two passes)."""
    ms = events.c.received_ms
    in_periods = or_(_in(ms, PERIODS.current), _in(ms, PERIODS.compare))
    vote = func.coalesce(events.c.vote_key, events.c.event_id)
    who = func.coalesce(events.c.client, literal(""))
    bucket = _bucket(ms, PERIODS)
    heavy = (select(events.c.item_id.label("item"), who.label("who"), bucket.label("b"))
             .where(events.c.type == "vote", in_periods)
             .group_by(events.c.item_id, who, bucket)
             .having(func.count(vote.distinct()) > VOTES_PER_CLIENT)
             .subquery("heavy"))
    unhelpful = case((unhelpful_expr(events), 1), else_=0)
    helpful = case((helpful_expr(events), 1), else_=0)
    reason = case((and_(unhelpful_expr(events), bucket == CUR), events.c.reason), else_=literal(None))
    detail = (select(events.c.item_id, heavy.c.who, heavy.c.b, events.c.revision, unhelpful, helpful, reason,
                     func.count(vote.distinct()))
              .select_from(events.join(heavy, and_(events.c.item_id == heavy.c.item, who == heavy.c.who,
                                                   bucket == heavy.c.b)))
              .where(events.c.type == "vote", in_periods)
              .group_by(events.c.item_id, heavy.c.who, heavy.c.b, events.c.revision, unhelpful, helpful, reason))
    out: dict = {}
    for item_id, client, bkt, revision, bad, good, why, n in conn.execute(detail):
        out.setdefault((item_id, client, bkt), []).append([revision, bad, good, why, int(n)])
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pairs_over_the_cap_are_the_group_bys_in_its_order(engine, seed):
    rows = votes(seed)
    with engine.begin() as conn:
        conn.execute(insert(events), rows)
    ms = events.c.received_ms
    with engine.connect() as conn:
        found = queries._heavy_clients(conn, PERIODS, or_(_in(ms, PERIODS.current), _in(ms, PERIODS.compare)))
        expected = by_group_by(conn)
    assert found and ("article:a", "again", CUR) not in found and ("article:b", "at-cap", CUR) not in found
    if engine.dialect.name == "sqlite":  # the same pairs, groups and distinct votes, in the same order
        assert list(found.items()) == list(expected.items())
    else:  # PostgreSQL groups by hashing, in no order: the same, listed as SQLite lists them
        listed = [(k, sorted(expected[k], key=in_sql_order)) for k in sorted(expected, key=in_sql_order)]
        assert list(found.items()) == listed


def test_no_pair_over_the_cap_gives_none(engine):
    with engine.begin() as conn:
        conn.execute(insert(events), [dict(event_id=f"e{n}", type="vote", received_ms=START_MS + 50 * DAY_MS + n,
                                           item_id="article:a", client=f"c{n}", value=0, scale="helpful")
                                      for n in range(20)])
    ms = events.c.received_ms
    with engine.connect() as conn:
        assert queries._heavy_clients(conn, PERIODS, or_(_in(ms, PERIODS.current), _in(ms, PERIODS.compare))) == {}
