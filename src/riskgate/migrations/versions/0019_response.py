"""Issue 6 slot 19 (response): the default joint-disposal rules (R1), so that a fresh install
opens response cases from its first published warning. No schema change.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# The default set as of this revision (riskgate.response.disposal.DEFAULT_RULES, copied so that
# later edits of the code do not change what this migration inserted).
_H, _DAY = 1, 24
_DEFAULTS = (
    ("I 口岸管控", "I", None, "port_control", "district_customs", ["subordinate_customs"], 2),
    ("I 暂停销售", "I", None, "suspend_sales", "market_regulator", ["district_customs"], 24),
    ("I 缺陷召回", "I", None, "defect_recall", "market_regulator", [], 72),
    ("I 溯源调查", "I", None, "trace_investigation", "district_customs", ["market_regulator"], 48),
    ("II 口岸管控", "II", None, "port_control", "district_customs", ["subordinate_customs"], 12),
    ("II 溯源调查", "II", None, "trace_investigation", "district_customs", [], 72),
    ("II 市场定向监管", "II", None, "targeted_supervision", "market_regulator", [], 7 * _DAY),
    ("III 定向监管", "III", None, "targeted_supervision", "market_regulator", [], 7 * _DAY),
    ("III 口岸管控", "III", None, "port_control", "district_customs", ["subordinate_customs"], 48),
    ("IV 定向监管", "IV", None, "targeted_supervision", "market_regulator", [], 14 * _DAY),
    ("I 食品 销毁", "I", "食品", "destroy", "market_regulator", ["district_customs"], 72),
    ("II 食品 销毁", "II", "食品", "destroy", "market_regulator", ["district_customs"], 7 * _DAY),
    ("I 儿童用品 缺陷召回", "I", "儿童用品", "defect_recall", "market_regulator",
     ["district_customs"], 48),
    ("II 儿童用品 缺陷召回", "II", "儿童用品", "defect_recall", "market_regulator", [], 7 * _DAY),
    ("I 玩具 缺陷召回", "I", "玩具", "defect_recall", "market_regulator", ["district_customs"], 48),
    ("II 玩具 缺陷召回", "II", "玩具", "defect_recall", "market_regulator", [], 7 * _DAY),
)


def upgrade() -> None:
    rules = sa.table("disposal_rule", sa.column("name", sa.String), sa.column("level", sa.String),
                     sa.column("warning_type", sa.String), sa.column("category", sa.String),
                     sa.column("measure", sa.String), sa.column("lead_org_type", sa.String),
                     sa.column("cooperating_org_types", sa.JSON),
                     sa.column("deadline_hours", sa.Integer), sa.column("active", sa.Boolean),
                     sa.column("is_default", sa.Boolean))
    op.bulk_insert(rules, [
        {"name": name, "level": level, "warning_type": None, "category": category,
         "measure": measure, "lead_org_type": lead, "cooperating_org_types": coop,
         "deadline_hours": hours, "active": True, "is_default": True}
        for name, level, category, measure, lead, coop, hours in _DEFAULTS
    ])


def downgrade() -> None:
    op.execute("DELETE FROM disposal_rule WHERE is_default")
