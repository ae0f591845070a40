"""Vocabularies of near-duplicate clusters and recurrence flags."""

from __future__ import annotations

from enum import StrEnum


class ClusterStatus(StrEnum):
    """A cluster is suggested by the system, then confirmed by an officer or split (dissolved)."""

    suggested = "suggested"
    confirmed = "confirmed"
    split = "split"


class MemberState(StrEnum):
    """A record's place in a cluster: suggested, confirmed by an officer, or removed (split off)."""

    suggested = "suggested"
    confirmed = "confirmed"
    removed = "removed"


class KeyKind(StrEnum):
    """Normalised keys of a record: blocking keys for near-duplicates, keys for recurrence."""

    # near-duplicate blocking keys
    gtin = "gtin"
    batch = "batch"
    brand_model = "brand_model"
    model = "model"
    # recurrence keys (RASFF's Commission check: same operator, hazard, origin)
    operator = "operator"
    hazard_product = "hazard_product"
    origin_hazard = "origin_hazard"


BLOCKING_KINDS = frozenset({KeyKind.gtin, KeyKind.batch, KeyKind.brand_model, KeyKind.model})
RECURRENCE_KINDS = frozenset({KeyKind.operator, KeyKind.hazard_product, KeyKind.origin_hazard})
