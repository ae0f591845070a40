"""Fixtures for catalogue tests: reading the real public data when it is present."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import pytest

SHARED_DATA = Path(os.environ.get("RISKGATE_SHARED_DATA", "/work/shared/data"))


@pytest.fixture(scope="session")
def shared_csv() -> Callable[[str], list[dict[str, str]]]:
    """Return a reader of a CSV under the public data folder that skips when it is absent."""

    def read(relative: str) -> list[dict[str, str]]:
        paths = sorted(SHARED_DATA.glob(relative))
        if not paths:
            pytest.skip(f"{SHARED_DATA / relative} not present")
        rows: list[dict[str, str]] = []
        for path in paths:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows.extend(csv.DictReader(handle))
        return rows

    return read


@pytest.fixture(scope="session")
def shared_path() -> Callable[[str], Path]:
    """Return a resolver of a file under the public data folder that skips when it is absent."""

    def resolve(relative: str) -> Path:
        path = SHARED_DATA / relative
        if not path.is_file():
            pytest.skip(f"{path} not present")
        return path

    return resolve
