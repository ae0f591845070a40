"""Vocabularies of public warnings."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class WarningStatus(StrEnum):
    """Only `draft` for now: issue 5 adds review, publication and lifting."""

    draft = "draft"


WARNING_STATUS_LABELS = {WarningStatus.draft: N_("Draft")}
