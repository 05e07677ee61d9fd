"""Every storage test runs twice: on an SQLite file and on a real PostgreSQL server.

The server comes from ``HIPMAP_TEST_PG_URL`` (a superuser URL; ``.ci/postgres.sh start``
starts a throwaway one). Each test gets a database of its own, copied from a template that
``hipmap db upgrade`` prepared once. Without the variable the PostgreSQL half skips, saying
so; with ``HIPMAP_REQUIRE_PG=1`` (set by CI) it never skips: no server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_URL = os.environ.get("HIPMAP_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("HIPMAP_REQUIRE_PG") == "1"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


class PGServer:
    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.base = make_url(url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT",
                                   pool_pre_ping=True)
        self.template = f"hipmap_tpl_{uuid.uuid4().hex[:10]}"

    def url(self, database: str, **overrides: object) -> str:
        return self.base.set(database=database, **overrides).render_as_string(
            hide_password=False)

    def sql(self, statement: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as c:
            c.execute(text(statement))

    def create(self, name: str, *, template: str | None = None) -> str:
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template or "template0"}"')
        return self.url(name)

    def drop(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PGServer]:
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("HIPMAP_REQUIRE_PG=1 but HIPMAP_TEST_PG_URL is not set")
        pytest.skip("PostgreSQL half: set HIPMAP_TEST_PG_URL to a server "
                    "(eval \"$(bash .ci/postgres.sh start)\") to run it")
    server = PGServer(PG_URL)
    try:
        server.sql("SELECT 1")
    except Exception as exc:  # the server is not there
        if REQUIRE_PG:
            pytest.fail(f"HIPMAP_REQUIRE_PG=1 but the PostgreSQL server cannot be reached: "
                        f"{type(exc).__name__}")
        pytest.skip(f"PostgreSQL half: the server at HIPMAP_TEST_PG_URL cannot be reached "
                    f"({type(exc).__name__})")
    from hipmap.storage import open_store, upgrade_schema

    url = server.create(server.template)
    with open_store(url, check_schema=False) as s:
        upgrade_schema(s)
    yield server
    server.drop(server.template)
    server.admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A record at head, empty: an SQLite file, or a PostgreSQL database of its own."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/record.db"
        return
    server: PGServer = request.getfixturevalue("pg_server")
    name = f"hipmap_t_{uuid.uuid4().hex[:12]}"
    url = server.create(name, template=server.template)
    yield url
    server.drop(name)


@pytest.fixture
def empty_db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path
                 ) -> Iterator[str]:
    """A database with no hipmap schema at all."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.db"
        return
    server: PGServer = request.getfixturevalue("pg_server")
    name = f"hipmap_e_{uuid.uuid4().hex[:12]}"
    url = server.create(name)
    yield url
    server.drop(name)


@pytest.fixture
def store(db_url: str):
    from hipmap.storage import open_store

    s = open_store(db_url, user="tester", workstation="desk-1")
    yield s
    s.close()


def drawing(patient: str | None = "P-0001", *, marks=None, answers=None, **extra) -> dict:
    """A small valid document (one region tapped unless ``marks`` says otherwise)."""
    doc: dict = {"format": "hipmap.drawing/1", "recorded_at": "2026-11-20T09:00:00Z"}
    if patient is not None:
        doc["patient"] = {"id": patient}
    doc["marks"] = marks if marks is not None else [
        {"kind": "region", "region": "right.lateral_hip", "intensity": 6}]
    doc["answers"] = answers if answers is not None else {"age": 55}
    doc.update(extra)
    return doc
