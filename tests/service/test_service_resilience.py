"""The database going away and several service instances sharing one database."""

from __future__ import annotations

import time

import psycopg
import pytest
from service_testkit import NO_LEARNING, new_id, post_events

pytestmark = pytest.mark.slow  # service processes of their own (two on one database)


def search(n: int = 1) -> list[dict]:
    return [{"id": new_id("r"), "type": "search", "query": "refund", "results": 1} for _ in range(n)]


@pytest.mark.postgres
@pytest.mark.parametrize("fresh_db_url", ["postgres"], indirect=True)
def test_database_outage_answers_503_retry_after_then_recovers(start_service, fresh_db_url, postgres_server):
    service = start_service("--rate-limit", "0", *NO_LEARNING, db_url=fresh_db_url)
    assert post_events(service, search()).status_code == 200
    name = fresh_db_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        lost = search(3)
        response = post_events(service, lost)
        assert response.status_code == 503 and response.headers["retry-after"]
        assert service.client.get("/healthz").status_code == 503
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    deadline = time.monotonic() + 60  # a bound on a failure only (the loop ends at the first 200)
    while service.client.get("/healthz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    retried = post_events(service, lost)  # the client retries the batch it was told to retry
    assert retried.json() == {"accepted": 3, "duplicates": 0}
    assert service.count() == 4


@pytest.mark.parametrize("fresh_db_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                         indirect=True)
def test_two_instances_on_one_database_store_each_event_once(start_service, fresh_db_url):
    first = start_service("--rate-limit", "0", *NO_LEARNING, db_url=fresh_db_url)
    second = start_service("--rate-limit", "0", *NO_LEARNING, db_url=fresh_db_url)
    batches = [search(10) for _ in range(20)]
    answers = []
    for batch in batches:  # every batch goes to both instances, as a client retrying elsewhere would
        answers.append(post_events(first, batch).json())
        answers.append(post_events(second, batch).json())
    assert sum(a["accepted"] for a in answers) == 200
    assert sum(a["duplicates"] for a in answers) == 200
    assert first.count() == 200
