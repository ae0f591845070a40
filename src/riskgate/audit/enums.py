"""The kinds of inconsistency the audit chain's verification reports, labelled."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class ChainProblemKind(LabelledEnum):
    """What is wrong with the chain at an entry (the verify page names it in words)."""

    ALTERED = "altered", N_("Entry altered")
    BROKEN_LINK = "broken-link", N_("Broken link")
    GAP = "gap", N_("Missing entries")
    HEAD_MISMATCH = "head-mismatch", N_("Head does not match")
    COUNT_MISMATCH = "count-mismatch", N_("Count does not match")
