"""Issue 6 slot 19 (response); filled by its owner, or empty.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-21
"""

from __future__ import annotations

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
