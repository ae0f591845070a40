"""Database engine, sessions and the declarative base shared by every domain.

SQLite is the embedded default (WAL, foreign keys on); PostgreSQL the production engine. Services
flush, they never commit: the request, job or CLI command that calls them owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, Enum, MetaData, Table, create_engine, event, func
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC; every stored time is UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the engine stores.

    SQLite has no time zones; without this, values read back would be naive and compare wrongly.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use riskgate.core.db.utcnow()")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def string_enum(enum_cls: type, length: int, *, validate_strings: bool = True) -> Enum:
    """An enum column stored as its members' values in a plain string column (no native ENUM
    type, so a new member needs no ALTER TYPE); `validate_strings` refuses unknown strings."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=validate_strings,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=func.now()
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, issue BEGIN, so that BEGIN IMMEDIATE below works.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        # Writers take the lock at BEGIN: a deferred transaction that later upgrades to a write
        # lock fails with SQLITE_BUSY at once (no busy wait) if another writer committed in
        # between, which would lose requests under load. Read-only work (GET pages) opts into
        # DEFERRED through read_only_engine() so that readers never queue behind writers.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(database_url: str, *, echo: bool = False) -> Engine:
    """Create the engine for a URL, with the per-engine settings each backend needs."""
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=8,
            max_overflow=16,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(database_url, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)


def read_only_engine(engine: Engine) -> Engine:
    """The same pool, but transactions that only read (a no-op outside SQLite)."""
    return engine.execution_options(sqlite_begin="DEFERRED")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work for a job or CLI command: commit on success, roll back on error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def is_postgresql(session_or_engine: Session | Engine) -> bool:
    bind = (
        session_or_engine.get_bind()
        if isinstance(session_or_engine, Session)
        else session_or_engine
    )
    return bind.dialect.name == "postgresql"


def bulk_insert(db: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT many rows (all with the same keys) in one driver-level executemany.

    Each value goes through its column type's own bind processor and missing columns get their
    Python-side defaults, so what is stored is what `db.execute(insert(table), rows)` stores; but
    SQLAlchemy's generic per-row parameter handling, a fifth of a whole file import, is skipped.
    """
    if not rows:
        return
    connection = db.connection()
    dialect = connection.dialect
    names = list(rows[0])
    extra: dict[str, Any] = {}
    for column in table.columns:
        if column.key in rows[0] or column.default is None:
            continue
        default = column.default
        if getattr(default, "is_scalar", False):
            extra[column.key] = default.arg  # type: ignore[attr-defined]
        elif getattr(default, "is_callable", False):
            extra[column.key] = default.arg(None)  # type: ignore[attr-defined]
    keys = names + list(extra)
    processors = [table.c[key].type._cached_bind_processor(dialect) for key in keys]
    quote = dialect.identifier_preparer.quote
    column_list = ", ".join(quote(table.c[k].name) for k in keys)
    tail = list(extra.values())

    def converted() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            values = [row[name] for name in names] + tail
            yield tuple(
                value if process is None else process(value)
                for process, value in zip(processors, values, strict=True)
            )

    if dialect.name == "postgresql":
        # COPY: one stream instead of a round trip per row (psycopg's executemany pipelines
        # them, still several times slower), inside the session's own transaction.
        dbapi_connection = connection.connection.dbapi_connection
        with (
            dbapi_connection.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(f"COPY {quote(table.name)} ({column_list}) FROM STDIN") as copy,
        ):
            for values in converted():
                copy.write_row(values)
        return
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({column_list}) VALUES ({', '.join([mark] * len(keys))})"
    )
    connection.exec_driver_sql(sql, list(converted()))

