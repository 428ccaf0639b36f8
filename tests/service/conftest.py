"""Service fixtures: the real service in a uvicorn subprocess on 127.0.0.1, driven with httpx."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_testkit import NO_LEARNING, SITE, TOKEN, Service, write_site_data
from tiers_testkit import real_build


@pytest.fixture(scope="session")
def site_data(tmp_path_factory) -> Path:
    """The build output of the test help centre (service_testkit.CONTENT)."""
    return write_site_data(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("report")


@pytest.fixture(scope="session")
@real_build  # a service process: its tests are not the fast tier's (~1.2 s of CPU to start, a wait for it)
def start_service(tmp_path_factory, site_data, report_dir):
    started: list[Service] = []

    def start(*extra: str, db_url: str | None = None, env: dict | None = None) -> Service:
        if db_url is None:
            db_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'feedback.db'}"
        args = ["--site-data", str(site_data), "--allowed-origin", SITE, "--token", TOKEN,
                "--report-dir", str(report_dir), *extra]
        service = Service(args, db_url, env)
        started.append(service)
        return service

    yield start
    for service in started:  # all asked at once, then each waited for (not one drain after another)
        service.terminate()
    for service in started:
        service.stop()


@pytest.fixture(scope="session")
def service(start_service) -> Service:
    """The shared service: SQLite, the test help centre's build output, SITE allowed, no rate limit."""
    return start_service("--rate-limit", "0", *NO_LEARNING)


@pytest.fixture
def fresh_db_url(request, tmp_path):
    """A new empty database: SQLite file, or a new database on the session's PostgreSQL."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'feedback.db'}"
    import uuid

    import psycopg

    server = request.getfixturevalue("postgres_server")
    name = "svc_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def pg_service(start_service, postgres_server):
    """The shared service's twin on PostgreSQL."""
    import uuid

    import psycopg

    name = "svc_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return start_service("--rate-limit", "0", *NO_LEARNING, db_url=postgres_server.rsplit("/", 1)[0] + "/" + name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@real_build  # the shared service's process (asked for by name below: not seen as start_service's user)
def any_service(request):
    """The shared service on each database."""
    return request.getfixturevalue("service" if request.param == "sqlite" else "pg_service")
