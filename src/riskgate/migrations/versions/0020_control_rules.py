"""Issue 6 slot 20 (control_rules); filled by its owner, or empty.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-21
"""

from __future__ import annotations

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
