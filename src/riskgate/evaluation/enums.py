"""States and kinds of the evaluation stage, each with its label, and the labels of its audit
entries."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class Recommendation(LabelledEnum):
    """What an effect evaluation proposes for the warning (R2)."""

    keep = "keep", N_("Keep the warning")
    downgrade = "downgrade", N_("Downgrade the warning")
    lift = "lift", N_("Lift the warning")

    @property
    def verb(self) -> str:
        """The proposal as a verb in a sentence ("proposes to {action} warning …"): a msgid."""
        return _VERBS[self.value]


# The verb of each proposal: a second wording of the members, not a repeat of their labels.
_VERBS = {"keep": N_("keep"), "downgrade": N_("downgrade"), "lift": N_("lift")}


class PetitionStatus(LabelledEnum):
    submitted = "submitted", N_("Submitted (petition)")
    accepted = "accepted", N_("Accepted (petition)")
    rejected = "rejected", N_("Rejected (petition)")


# What its audit entries' actions and object types are called on the audit pages and the case
# timeline (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "case.evaluate": N_("Case effect evaluated"),
    "lifting_petition": N_("Lifting petition"),
    "petition.submit": N_("Lifting petition submitted"),
    "petition.accepted": N_("Lifting petition accepted"),
    "petition.rejected": N_("Lifting petition rejected"),
}
