"""Fixtures of the assessment-report tests: report files go to the test's own directory, and a
helper runs the generation job the way the worker does."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from riskgate.core.db import transaction
from riskgate.core.settings import Settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        environment="test",
        secret_key="test-secret-key-0123456789abcdef0123456789",
        worker_in_process=False,
        analysis_reports_dir=tmp_path / "analysis_reports",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def generate(app, settings):  # type: ignore[no-untyped-def]
    """Run the generation job over the pending reports (as the worker would)."""
    from riskgate.analysis_reports import service

    def run() -> dict[str, int]:
        return service.generate_pending(partial(transaction, app.state.session_factory),
                                        settings)

    return run
