"""The workflow of a control rule (see core.workflow).

active ⇄ suspended; either → retired (by hand with a reason, when its warning is lifted or
withdrawn, or when an accepted lifting petition leaves it with no scope). Retired is final.
"""

from __future__ import annotations

from riskgate.border.enums import RuleStatus as S
from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow

OBJECT = N_("control rule")
OBJECT_TYPE = "control_rule"
# Brands, models and batches: the products a warning names, matched exactly on a line (0029).
PRODUCT_FIELDS = ("brands", "models", "batches")
SCOPE_FIELDS = ("hs_prefixes", "countries", "enterprise_codes", "keywords", "barcodes",
                *PRODUCT_FIELDS)
LIST_FIELDS = (*SCOPE_FIELDS, "ports")
# Audited fields of a rule (what `service.snapshot` keeps, and what a move audits).
SNAPSHOT_FIELDS = ("number", "title", "direction", *LIST_FIELDS, "action", "sampling_rate",
                   "priority", "valid_from", "valid_until", "status", "version", "retired_reason")

RULE_FLOW: Workflow[S] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={
        S.active: {S.suspended, S.retired},
        S.suspended: {S.active, S.retired},
        S.retired: set(),
    },
    audited=SNAPSHOT_FIELDS,
)
