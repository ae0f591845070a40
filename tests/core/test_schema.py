"""The models and the migrations describe the same schema; settings fail loudly."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pydantic import ValidationError
from sqlalchemy import create_engine

from riskgate.composition import wire
from riskgate.core.db import Base
from riskgate.core.settings import Settings

wire()
metadata = Base.metadata


def _modelled(name, type_, parent_names):  # type: ignore[no-untyped-def]
    # The search index (FTS5 tables and their shadow tables, the tsvector table) has no model.
    from riskgate.search.backends import SEARCH_TABLES

    return not (type_ == "table" and name and name.startswith(SEARCH_TABLES))


def test_models_match_migrations(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _modelled}
        )
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == [], differences


@pytest.mark.parametrize(
    "changes",
    [
        {"database_url": "mysql://x"},
        {"port": 0},
        {"secret_key": "short"},
        {"environment": "production"},  # with the development secret
        {"session_idle_minutes": 0},
    ],
)
def test_bad_settings_fail_loudly(changes):
    with pytest.raises(ValidationError):
        Settings(_env_file=None, **changes)  # type: ignore[call-arg]


def test_postgresql_url_gets_the_psycopg_driver():
    settings = Settings(_env_file=None, database_url="postgresql://u@h/db")  # type: ignore[call-arg]
    assert settings.database_url.startswith("postgresql+psycopg://")


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    from sqlalchemy import text

    if not app.state.settings.is_sqlite:
        return
    with app.state.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_json_log_lines_carry_the_request_fields():
    import json
    import logging

    from riskgate.core.logging import JsonFormatter

    record = logging.LogRecord("riskgate.http", logging.INFO, __file__, 1, "request", None, None)
    record.request_id = "abc"
    record.status = 200
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request" and line["request_id"] == "abc" and line["status"] == 200
