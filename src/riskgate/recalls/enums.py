"""States and kinds of recalls, each with its label."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class RecallOrigin(LabelledEnum):
    voluntary = "voluntary", N_("Voluntary recall")  # 主动召回, started by the enterprise
    ordered = "ordered", N_("Ordered recall")  # 责令召回, ordered by a regulator
    # A foreign authority's recall (e.g. US CPSC), imported through intake.
    foreign = "foreign", N_("Foreign recall")


class RecallStatus(LabelledEnum):
    draft = "draft", N_("Draft recall")
    in_progress = "in_progress", N_("Recall in progress")
    completed = "completed", N_("Recall completed")  # the enterprise reports the recall finished
    closed = "closed", N_("Recall closed")  # evaluated by the regulator
    cancelled = "cancelled", N_("Recall cancelled")


class Remedy(LabelledEnum):
    repair = "repair", N_("Repair")
    replace = "replace", N_("Replace")  # type: ignore[assignment]  # shadows str.replace
    refund = "refund", N_("Refund")


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "recall": N_("Recall"),
    "recall.create": N_("Recall recorded"),
    "recall.update": N_("Recall draft changed"),
    "recall.start": N_("Recall started"),
    "recall.report": N_("Recall progress reported"),
    "recall.complete": N_("Recall marked completed"),
    "recall.auto_complete": N_("Recall completed: all units remedied"),
    "recall.close": N_("Recall evaluated and closed"),
    "recall.cancel": N_("Recall cancelled by the regulator"),
    "recall.import_foreign": N_("Foreign recalls imported"),
}
