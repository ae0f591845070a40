"""Fixtures of the assessment-report tests: report files go to the test's own directory, and a
helper runs the generation job the way the worker does."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from riskgate.core.db import transaction
from riskgate.core.settings import Settings
from tests.factories import settings_for


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, analysis_reports_dir=tmp_path / "analysis_reports")


@pytest.fixture
def generate(app, settings):  # type: ignore[no-untyped-def]
    """Run the generation job over the pending reports (as the worker would)."""
    from riskgate.analysis_reports import service

    def run() -> dict[str, int]:
        return service.generate_pending(partial(transaction, app.state.session_factory),
                                        settings)

    return run
