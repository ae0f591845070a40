"""The workflow of a warning's life cycle (see core.workflow).

draft ⇄ commenting → in_review → approved → published → adjusted (again and again) → lifted;
withdrawn from any state before lifting (a draft abandoned, or a warning published in error).
A review sends a warning back to draft with a reason.
"""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.warnings.enums import WarningStatus as S
from riskgate.warnings.models import WARNING_FIELDS

OBJECT = N_("warning")
OBJECT_TYPE = "public_warning"

# Audited with every move beside the status (what changed among them is kept).
AUDITED = tuple(name for name in WARNING_FIELDS if name != "status")

WARNING_FLOW: Workflow[S] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={
        S.draft: {S.commenting, S.in_review, S.withdrawn},
        S.commenting: {S.draft, S.in_review, S.withdrawn},
        S.in_review: {S.draft, S.approved, S.withdrawn},
        S.approved: {S.draft, S.published, S.withdrawn},
        S.published: {S.adjusted, S.lifted, S.withdrawn},
        S.adjusted: {S.adjusted, S.lifted, S.withdrawn},
        S.lifted: set(),
        S.withdrawn: set(),
    },
    audited=AUDITED,
)
