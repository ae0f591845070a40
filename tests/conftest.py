"""Test fixtures: every test gets its own database, built by the migrations.

The suite runs on SQLite by default and on PostgreSQL with RISKGATE_TEST_DATABASE=postgresql.
A template database is migrated once per test process; each test gets a copy (a file copy on
SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so tests can commit, run servers and workers,
and never see each other's data. On PostgreSQL a background thread makes the copies a test or
two ahead and drops them behind, so no test waits for either.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from riskgate.composition import create_app, wire
from riskgate.core.migrations import upgrade
from riskgate.core.settings import Settings
from tests.factories import CHEAP_PASSWORD_HASHING_ENV, settings_for

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


def _create_from_template0(admin: psycopg.Connection, name: str) -> None:
    admin.execute(
        f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
        f"LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    )


class PgCopies:
    """Copies of the migrated PostgreSQL template, made ahead and dropped behind, in two threads.

    On the 2-core machine CREATE DATABASE … TEMPLATE takes 50–600 ms, and DROP DATABASE as long
    or longer: it forces a checkpoint of the whole cluster. Made while the tests run, and dropped
    in batches (one checkpoint flushes what the next drops would have), no test waits for either.
    Each thread owns its admin connection; tests only take names and give them back.
    """

    def __init__(self, template: str, *, ahead: int = 2, drop_batch: int = 8,
                 strategy: str = "FILE_COPY") -> None:
        self._template = template
        self._strategy = strategy
        self._ahead = ahead
        self._drop_batch = drop_batch
        self._ready: deque[str] = deque()
        self._to_drop: deque[str] = deque()
        self._error: BaseException | None = None
        self._stop_creating = self._stop_dropping = False
        self._changed = threading.Condition()
        self._names = (f"rgtest_{_worker()}_{os.getpid()}_{n}" for n in itertools.count())
        self._creator = threading.Thread(target=self._create, name="pg-create", daemon=True)
        self._dropper = threading.Thread(target=self._drop, name="pg-drop", daemon=True)
        self._creator.start()
        self._dropper.start()

    def take(self) -> str:
        """The name of a fresh copy (waits only when none is ready yet)."""
        with self._changed:
            self._changed.wait_for(lambda: self._ready or self._error)
            if self._error is not None:
                raise RuntimeError("the test database could not be made") from self._error
            name = self._ready.popleft()
            self._changed.notify_all()
            return name

    def give_back(self, name: str) -> None:
        with self._changed:
            self._to_drop.append(name)
            self._changed.notify_all()

    def close(self) -> None:
        """Stop making copies, drop every one left (given back or never taken), and wait."""
        with self._changed:
            self._stop_creating = True
            self._changed.notify_all()
        self._creator.join()
        with self._changed:
            self._to_drop.extend(self._ready)
            self._ready.clear()
            self._stop_dropping = True
            self._changed.notify_all()
        self._dropper.join()

    def _create(self) -> None:
        try:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                while True:
                    with self._changed:
                        self._changed.wait_for(
                            lambda: self._stop_creating or len(self._ready) < self._ahead)
                        if self._stop_creating:
                            return
                    name = next(self._names)
                    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}" '
                                  f"STRATEGY {self._strategy}")
                    with self._changed:
                        self._ready.append(name)
                        self._changed.notify_all()
        except BaseException as error:  # noqa: BLE001 — handed to the test that waits
            with self._changed:
                self._error = error
                self._changed.notify_all()

    def _drop(self) -> None:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            while True:
                with self._changed:
                    self._changed.wait_for(
                        lambda: self._stop_dropping or len(self._to_drop) >= self._drop_batch)
                    names = list(self._to_drop)
                    self._to_drop.clear()
                    last = self._stop_dropping
                for name in names:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                if last:
                    return


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
        _create_from_template0(admin, name)
    upgrade(_pg_url(name))
    yield name
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _pg_copies(template_database: str) -> Iterator[PgCopies]:
    copies = PgCopies(template_database)
    yield copies
    copies.close()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, template_database: str,
                 tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for this test only."""
    if BACKEND == "sqlite":
        # A file copy: 0.4 ms for the 1.4 MB template (VACUUM INTO takes 40 ms, the backup
        # API 20 ms).
        path = tmp_path / "test.db"
        shutil.copyfile(template_database, path)
        yield f"sqlite:///{path}"
        return
    copies: PgCopies = request.getfixturevalue("_pg_copies")
    name = copies.take()
    yield _pg_url(name)
    copies.give_back(name)


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A new database with nothing in it (not even the schema), for commands that start from
    scratch (`riskgate db upgrade`)."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"rgtest_{_worker()}_{os.getpid()}_empty_{next(_counter)}"
    with _pg_admin() as admin:
        _create_from_template0(admin, name)
    yield _pg_url(name)
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., dict[str, str]]:
    """The environment of a `riskgate` command run as a new process on a test database.

    Cheap password hashing, as in the tests' own Settings; wide output, so that Rich tables are
    not cut; English messages. And one bytecode cache for every process of the session: the
    machine sets PYTHONDONTWRITEBYTECODE, so each process would otherwise compile the whole
    package again (~0.3 s of the ~2.5 s a command takes to start).
    """
    bytecode = tmp_path_factory.mktemp("pycache")

    def environment(database_url: str, **extra: str) -> dict[str, str]:
        # Nothing of the developer's own RISKGATE_* configuration leaks in.
        inherited = {k: v for k, v in os.environ.items()
                     if not k.startswith("RISKGATE_") and k != "PYTHONDONTWRITEBYTECODE"}
        return {**inherited, **CHEAP_PASSWORD_HASHING_ENV, "RISKGATE_DATABASE_URL": database_url,
                "PYTHONPYCACHEPREFIX": str(bytecode), "COLUMNS": "200", "LC_ALL": "C.UTF-8",
                **extra}

    return environment


@pytest.fixture(autouse=True)
def _fresh_actor_cache() -> None:
    """Each test starts with no credentials cached from another test's database."""
    from riskgate.core import actor_cache

    actor_cache.invalidate()


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The test's settings (cheap password hashing among them: tests/factories.py)."""
    return settings_for(database_url)


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

