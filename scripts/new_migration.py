"""Autogenerate a migration from the models: python scripts/new_migration.py "message" [rev_id]."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from riskgate.core.migrations import alembic_config

if __name__ == "__main__":
    message = sys.argv[1] if len(sys.argv) > 1 else "change"
    rev_id = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'scratch.db'}"
        config = alembic_config(url)
        command.upgrade(config, "head")
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
