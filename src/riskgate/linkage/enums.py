"""Vocabularies of near-duplicate clusters and recurrence flags, each member with its label."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class ClusterStatus(LabelledEnum):
    """A cluster is suggested by the system, then confirmed by an officer or split (dissolved)."""

    suggested = "suggested", N_("Awaiting confirmation")
    confirmed = "confirmed", N_("Confirmed")
    split = "split", N_("Split")  # type: ignore[assignment]  # shadows str.split; stored value


class MemberState(LabelledEnum):
    """A record's place in a cluster: suggested, confirmed by an officer, or removed (split off)."""

    suggested = "suggested", N_("Awaiting confirmation")
    confirmed = "confirmed", N_("Confirmed")
    removed = "removed", N_("Removed from the cluster")


class KeyKind(LabelledEnum):
    """Normalised keys of a record: blocking keys for near-duplicates, keys for recurrence."""

    # near-duplicate blocking keys
    gtin = "gtin", N_("Barcode (GTIN)")
    batch = "batch", N_("Batch / lot")
    brand_model = "brand_model", N_("Brand and model")
    model = "model", N_("Model")
    # recurrence keys (RASFF's Commission check: same operator, hazard, origin)
    operator = "operator", N_("Same operator")
    hazard_product = "hazard_product", N_("Same hazard and product group")
    origin_hazard = "origin_hazard", N_("Same origin and hazard")


BLOCKING_KINDS = frozenset({KeyKind.gtin, KeyKind.batch, KeyKind.brand_model, KeyKind.model})
RECURRENCE_KINDS = frozenset({KeyKind.operator, KeyKind.hazard_product, KeyKind.origin_hazard})

# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "cluster.confirm": N_("Near-duplicate cluster confirmed"),
    "cluster.split": N_("Near-duplicate cluster split"),
    "cluster.status": N_("Near-duplicate cluster status changed"),
    "cluster.member_confirmed": N_("Record confirmed in a near-duplicate cluster"),
    "cluster.member_removed": N_("Record removed from a near-duplicate cluster"),
    "record_cluster": N_("Near-duplicate cluster"),
    "record_cluster_member": N_("Record in a near-duplicate cluster"),
}
