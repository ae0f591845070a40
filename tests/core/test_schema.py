"""The models and the migrations describe the same schema; settings fail loudly."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pydantic import ValidationError
from sqlalchemy import create_engine

from riskgate.core.settings import Settings
from riskgate.models import metadata


def test_models_match_migrations(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
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
