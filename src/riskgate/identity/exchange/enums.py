"""The labelled codes of information exchange: what flows, how far the receiver may go, where an
agreement stands, and the kinds of one-off share."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class ShareCategory(LabelledEnum):
    """The object categories an agreement lets flow: the `object_type` the scope helpers get."""

    risk_record = "risk_record", N_("Risk records")
    signal = "signal", N_("Signals")
    risk_assessment = "risk_assessment", N_("Risk assessments")
    public_warning = "public_warning", N_("Warnings")
    response_case = "response_case", N_("Response cases")


class ExchangeAccess(LabelledEnum):
    """What the receiver may do with what flows."""

    read = "read", N_("Read only")
    act = "act", N_("Read and act")


class AgreementStatus(LabelledEnum):
    proposed = "proposed", N_("Proposed")
    accepted = "accepted", N_("Accepted")
    rejected = "rejected", N_("Rejected")
    revoked = "revoked", N_("Revoked")


class TermDimension(LabelledEnum):
    """A filter dimension of an agreement (a term row holds one code of one dimension)."""

    category = "category", N_("Object categories")
    hazard = "hazard", N_("Hazard classes")
    product = "product", N_("Product groups (HS chapters)")
    channel = "channel", N_("Source channels")
    region = "region", N_("Regions")


class ShareKind(LabelledEnum):
    """A one-off share of a single object: handed over to act on, copied for information, or
    routed by competence (the receiver acts)."""

    transfer = "transfer", N_("Transfer")  # 转交
    copy = "copy", N_("Copy for information")  # 抄送
    routed = "routed", N_("Routed by competence")  # 按职责分送


# One-off shares that let the receiver act, not only read.
ACTING_KINDS = frozenset({ShareKind.transfer, ShareKind.routed})

AUDIT_LABELS: dict[str, str] = {
    "exchange_agreement": N_("Exchange agreement"),
    "exchange.proposed": N_("Exchange agreement proposed"),
    "exchange.accepted": N_("Exchange agreement accepted"),
    "exchange.rejected": N_("Exchange agreement rejected"),
    "exchange.revoked": N_("Exchange agreement revoked"),
    "object.shared": N_("Object shared with another organisation"),
}
