"""`riskgate search reindex` rebuilds the index of the records already stored."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import text

from riskgate.search import service as search
from riskgate.search.service import RecordFilters


def test_reindex_command(settings, db, world):
    postgresql = settings.database_url.startswith("postgresql")
    db.execute(text("DELETE FROM search_document" if postgresql else "DELETE FROM search_fts"))
    db.commit()
    env = {**os.environ, "RISKGATE_DATABASE_URL": settings.database_url}
    done = subprocess.run([sys.executable, "-m", "riskgate.cli", "search", "reindex"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Indexed 4 risk records" in done.stderr
    db.rollback()
    rows, _cursor = search.list_records(db, world.officer, "玩具 铅", RecordFilters())
    assert [r.id for r in rows] == [world.ids[0]]
