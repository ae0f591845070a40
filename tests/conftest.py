"""Test fixtures: every test gets its own database, built by the migrations.

The suite runs on SQLite by default and on PostgreSQL with RISKGATE_TEST_DATABASE=postgresql.
A template database is migrated once per test process; each test gets a copy (a file copy on
SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so tests can commit, run servers and workers,
and never see each other's data.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from riskgate.composition import create_app, wire
from riskgate.core.migrations import upgrade
from riskgate.core.settings import Settings

# Tests call services directly as well as through the app: the loop is wired for both.
wire()

BACKEND = os.environ.get("RISKGATE_TEST_DATABASE", "sqlite")
PG_ADMIN_URL = os.environ.get(
    "RISKGATE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
_counter = itertools.count()


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_admin() -> psycopg.Connection:
    return psycopg.connect(PG_ADMIN_URL, autocommit=True)


def _pg_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("db") / "template.db"
        upgrade(f"sqlite:///{path}")
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        yield str(path)
        return
    if BACKEND != "postgresql":
        raise pytest.UsageError("RISKGATE_TEST_DATABASE must be sqlite or postgresql")
    name = f"rgtest_{_worker()}_{os.getpid()}_tmpl"
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            f"LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )
    upgrade(_pg_url(name))
    yield name
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(template_database: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for this test only."""
    if BACKEND == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(template_database, path)
        yield f"sqlite:///{path}"
        return
    name = f"rgtest_{_worker()}_{os.getpid()}_{next(_counter)}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    yield _pg_url(name)
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _fresh_actor_cache() -> None:
    """Each test starts with no credentials cached from another test's database."""
    from riskgate.core import actor_cache

    actor_cache.invalidate()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        environment="test",
        secret_key="test-secret-key-0123456789abcdef0123456789",
        worker_in_process=False,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    application = create_app(settings, run_worker=False)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def db(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    """A session on the test database for arranging data through services; commit to publish.

    Its transactions are DEFERRED on SQLite: a test that reads between two requests must not hold
    the single writer lock that the app's next request needs.
    """
    session = app.state.session_factory(bind=app.state.read_engine)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The real application served by uvicorn on a free loopback port, in a background thread."""
    import uvicorn

    from riskgate.composition import create_app

    application = create_app(settings, run_worker=False)
    port = _free_port()
    config = uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium through Playwright, for the tests marked with `tests.browser`."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        try:
            yield instance
        finally:
            instance.close()

