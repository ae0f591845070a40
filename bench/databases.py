"""Throw-away databases for the benchmarks: a SQLite file or a UTF-8 PostgreSQL database,
created empty and migrated to the current schema, and dropped afterwards."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg

from riskgate.core.migrations import upgrade

PG_ADMIN = os.environ.get("RISKGATE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def create_database(kind: str, workdir: Path, name: str) -> str:
    """A fresh, migrated database named `name`; returns its URL. PostgreSQL gets C.UTF-8."""
    if kind == "sqlite":
        url = f"sqlite:///{workdir / f'{name}.db'}"
    else:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                          "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
        base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        url = f"{base}/{name}"
    upgrade(url)
    return url


def drop_database(url: str) -> None:
    """Drop a database made by create_database (SQLite files go with their temporary folder)."""
    if url.startswith("postgresql"):
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
