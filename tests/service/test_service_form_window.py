"""The no-JS form's resubmission window across a time-bucket boundary (the service app in
process, its clock moved; the SQLite file it writes is read back)."""

from __future__ import annotations

import httpx
import pytest
from service_testkit import SITE

from carebase.service import handlers
from carebase.service.app import create_app
from carebase.service.config import ServiceConfig

FORM = {"item": "article:billing/refunds", "value": "0", "scale": "helpful", "reason": "Out of date",
        "comment": "window", "revision": "r1", "return_to": f"{SITE}/billing/refunds/", "website": ""}


@pytest.fixture
def app(tmp_path, site_data):
    return create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", allowed_origins=(SITE,),
                                    site_data=str(site_data), rate_limit=0))


def votes(app) -> list:
    from sqlalchemy import select

    from carebase.store.schema import events

    with app.state.carebase.engine.connect() as conn:
        return conn.execute(select(events.c.event_id).where(events.c.comment == "window")).scalars().all()


def test_a_resubmission_just_after_a_bucket_ends_is_still_one_vote(app, monkeypatch):
    from starlette.testclient import TestClient

    window = handlers.FORM_WINDOW_S
    edge = 1_800_000_000 // window * window + window  # the end of a bucket
    clock = {"now": edge - 1.0}
    monkeypatch.setattr(handlers, "form_clock", lambda: clock["now"])
    with TestClient(app, base_url="http://service.test") as client:
        def post() -> httpx.Response:
            return client.post("/feedback", data=FORM, follow_redirects=False)

        assert post().status_code == 303
        clock["now"] = edge + 1.0  # two seconds later, in the next bucket
        assert post().status_code == 303
        assert len(votes(app)) == 1
        clock["now"] = edge + 2 * window + 1.0  # long after: a new visit's vote counts
        assert post().status_code == 303
        assert len(votes(app)) == 2
