"""Warning subscriptions (精准推送): what a regulator or enterprise user wants to be told of, and
which subscriptions a warning matches.

A user keeps their own subscriptions (anyone else's is "not found"). Every filter value is
checked against the catalogue; an empty filter list matches everything. Matching reads the
active subscriptions as compact rows and filters them in one pass in Python: the filters are JSON
lists, which neither database indexes portably, and 10,000 rows take a few tens of milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.countries import country
from riskgate.catalog.geography import region
from riskgate.catalog.hs import hs_is_valid, normalise_hs_code
from riskgate.core.context import Actor
from riskgate.core.errors import FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity.models import Organisation, User
from riskgate.outbox.models import WebhookEndpoint
from riskgate.warnings.enums import PushChannel
from riskgate.warnings.models import (
    PublicWarning,
    WarningEnterprise,
    WarningProduct,
    WarningSubscription,
)
from riskgate.warnings.push.audience import may_receive, may_subscribe_to

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FILTERS = ("hs_prefixes", "categories", "countries", "levels", "warning_types", "regions")


# --- Validation ----------------------------------------------------------------------------


def _clean_filters(data: dict[str, Any], problems: list[FieldProblem]) -> dict[str, list[str]]:
    """Normalise and check the filter lists present in `data` (duplicates dropped, order kept)."""
    cleaned: dict[str, list[str]] = {}
    for name in FILTERS:
        if data.get(name) is None:
            continue
        values: list[str] = []
        for index, raw in enumerate(data[name]):
            value = str(getattr(raw, "value", raw)).strip()
            loc = f"{name}/{index}"
            if name == "hs_prefixes":
                digits = normalise_hs_code(value)
                if digits is None or not hs_is_valid(digits):
                    problems.append(FieldProblem(loc, N_("{value} is not an HS code in the "
                                                         "catalogue."), {"value": value}))
                    continue
                value = digits
            elif name == "countries":
                found = country(value.upper())
                if found is None:
                    problems.append(FieldProblem(loc, N_("{value} is not an ISO country code."),
                                                 {"value": value}))
                    continue
                value = found.code
            elif name == "regions":
                if region(value) is None:
                    problems.append(FieldProblem(loc, N_("{value} is not a region code in the "
                                                         "catalogue."), {"value": value}))
                    continue
            elif name == "categories" and not value:
                problems.append(FieldProblem(loc, N_("The category is empty.")))
                continue
            if value not in values:
                values.append(value)
        cleaned[name] = values
    return cleaned


def _delivery_target(db: Session, actor: Actor, channel: PushChannel, email: str | None,
                     endpoint_id: int | None, problems: list[FieldProblem]
                     ) -> tuple[str | None, int | None]:
    """The e-mail address or webhook endpoint the channel needs (others are cleared)."""
    if channel == PushChannel.email:
        address = (email or "").strip()
        if not address and actor.user_id is not None:
            address = db.execute(select(User.email).where(User.id == actor.user_id)
                                 ).scalar_one_or_none() or ""
        if not address:
            problems.append(FieldProblem("email", N_("Give an e-mail address; your account "
                                                     "has none.")))
        elif not _EMAIL.match(address):
            problems.append(FieldProblem("email", N_("{value} is not an e-mail address."),
                                         {"value": address}))
        return address or None, None
    if channel == PushChannel.webhook:
        endpoint = None if endpoint_id is None else db.execute(
            select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id,
                                          WebhookEndpoint.organisation_id == actor.organisation_id,
                                          WebhookEndpoint.active.is_(True))).scalar_one_or_none()
        if endpoint is None:
            problems.append(FieldProblem("webhook_endpoint_id", N_(
                "Choose an active webhook endpoint of your organisation.")))
            return None, None
        return None, endpoint.id
    return None, None


def organisation_type(db: Session, actor: Actor) -> str | None:
    """The type of the actor's organisation (None without one)."""
    if actor.organisation_id is None:
        return None
    found = db.execute(select(Organisation.org_type).where(
        Organisation.id == actor.organisation_id)).scalar_one_or_none()
    return None if found is None else str(getattr(found, "value", found))


def _check_types(db: Session, actor: Actor, filters: dict[str, list[str]],
                 problems: list[FieldProblem]) -> None:
    """Refuse a type the actor's organisation may not receive (a bulletin for an enterprise):
    at subscription time, not silently at push time."""
    wanted = filters.get("warning_types") or []
    if not wanted:
        return  # every type the organisation may receive
    org_type = organisation_type(db, actor)
    for index, kind in enumerate(wanted):
        if not may_subscribe_to(kind, org_type):
            problems.append(FieldProblem(f"warning_types/{index}", N_(
                "A risk warning bulletin (通报) goes to regulators only; an enterprise cannot "
                "subscribe to it.")))


# --- Service -------------------------------------------------------------------------------


def subscriptions_statement(actor: Actor) -> Select[Any]:
    """The actor's own subscriptions."""
    return select(WarningSubscription).where(WarningSubscription.user_id == actor.user_id)


def get_subscription(db: Session, actor: Actor, subscription_id: int) -> WarningSubscription:
    found = db.execute(select(WarningSubscription).where(
        WarningSubscription.id == subscription_id,
        WarningSubscription.user_id == actor.user_id)).scalar_one_or_none()
    if found is None or actor.user_id is None:
        raise NotFound(N_("subscription"))
    return found


def create_subscription(db: Session, actor: Actor, data: dict[str, Any]) -> WarningSubscription:
    """Subscribe the actor (a user of an organisation); audited."""
    if actor.user_id is None or actor.organisation_id is None:
        raise ValidationFailed(N_("Only a user of an organisation can subscribe."))
    problems: list[FieldProblem] = []
    filters = _clean_filters(data, problems)
    _check_types(db, actor, filters, problems)
    channel = PushChannel(data.get("channel") or PushChannel.inbox)
    email, endpoint_id = _delivery_target(db, actor, channel, data.get("email"),
                                          data.get("webhook_endpoint_id"), problems)
    if problems:
        raise ValidationFailed(fields=problems)
    subscription = WarningSubscription(
        organisation_id=actor.organisation_id, user_id=actor.user_id,
        name=str(data["name"]).strip(), channel=channel, email=email,
        webhook_endpoint_id=endpoint_id, active=True, created_by=actor.username,
        **{name: filters.get(name, []) for name in FILTERS},
    )
    db.add(subscription)
    db.flush()
    audit.record(db, actor, "warning.subscription.created", object_type="warning_subscription",
                 object_id=subscription.id, after=subscription.snapshot(),
                 organisation_id=subscription.organisation_id)
    return subscription


def update_subscription(db: Session, actor: Actor, subscription_id: int,
                        changes: dict[str, Any]) -> WarningSubscription:
    """Change the fields given (None = unchanged); audited with what changed."""
    subscription = get_subscription(db, actor, subscription_id)
    before = subscription.snapshot()
    problems: list[FieldProblem] = []
    filters = _clean_filters(changes, problems)
    _check_types(db, actor, filters, problems)
    channel = PushChannel(changes.get("channel") or subscription.channel)
    target_changed = any(changes.get(k) is not None
                         for k in ("channel", "email", "webhook_endpoint_id"))
    if target_changed:
        email, endpoint_id = _delivery_target(
            db, actor, channel,
            changes.get("email") or (subscription.email if channel == PushChannel.email else None),
            changes.get("webhook_endpoint_id") or subscription.webhook_endpoint_id, problems)
    if problems:
        raise ValidationFailed(fields=problems)
    if changes.get("name") is not None:
        subscription.name = str(changes["name"]).strip()
    for name, values in filters.items():
        setattr(subscription, name, values)
    if target_changed:
        subscription.channel = channel
        subscription.email = email
        subscription.webhook_endpoint_id = endpoint_id
    if changes.get("active") is not None:
        subscription.active = bool(changes["active"])
    after = subscription.snapshot()
    if after != before:
        old, new = audit.diff(before, after)
        audit.record(db, actor, "warning.subscription.updated",
                     object_type="warning_subscription", object_id=subscription.id,
                     before=old, after=new, organisation_id=subscription.organisation_id)
    return subscription


def deactivate_subscription(db: Session, actor: Actor,
                            subscription_id: int) -> WarningSubscription:
    return update_subscription(db, actor, subscription_id, {"active": False})


# --- Matching ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """A subscription a warning matches, as much of it as a delivery needs."""

    id: int
    organisation_id: int
    user_id: int | None
    channel: PushChannel
    email: str | None
    webhook_endpoint_id: int | None
    user_language: str | None


def region_chain(code: str) -> set[str]:
    """A region code with its city and province codes (GB/T 2260: PPCCDD)."""
    return {code, code[:4] + "00", code[:2] + "0000"} if len(code) == 6 else {code}


def regions_overlap(wanted: Iterable[str], covered: Iterable[str]) -> bool:
    """A warning for a province concerns a subscriber of one of its cities, and a warning for a
    city concerns a subscriber of its province: one code lies within the other."""
    covered = list(covered)
    for code in wanted:
        for other in covered:
            if code in region_chain(other) or other in region_chain(code):
                return True
    return False


def warning_facts(db: Session, warning: PublicWarning) -> dict[str, Any]:
    """What matching looks at: level, type, countries, regions, product HS codes and categories,
    and the organisations named."""
    products = db.execute(select(WarningProduct.hs_code, WarningProduct.category).where(
        WarningProduct.warning_id == warning.id)).all()
    named = set(db.execute(select(WarningEnterprise.organisation_id).where(
        WarningEnterprise.warning_id == warning.id)).scalars())
    return {
        "level": str(getattr(warning.level, "value", warning.level)),
        "type": str(getattr(warning.warning_type, "value", warning.warning_type)),
        "countries": {c.upper() for c in (warning.origin_countries or [])},
        "regions": list(warning.regions or []),
        "hs": [normalise_hs_code(h) or h for h, _c in products if h],
        "categories": {c.strip().casefold() for _h, c in products if c and c.strip()},
        "named": named,
    }


def subscription_matches(row: Any, facts: dict[str, Any]) -> bool:
    """The filters of one subscription (an object with the filter lists and `org_type`,
    `organisation_id`) against a warning's facts, including who may receive the warning's type
    (`audience.may_receive`)."""
    if not may_receive(facts["type"], row.org_type, named=row.organisation_id in facts["named"]):
        return False
    if row.levels and facts["level"] not in row.levels:
        return False
    if row.warning_types and facts["type"] not in row.warning_types:
        return False
    if row.countries and not facts["countries"].intersection(row.countries):
        return False
    if row.hs_prefixes and not any(code.startswith(prefix) for code in facts["hs"]
                                   for prefix in row.hs_prefixes):
        return False
    if row.categories and not facts["categories"].intersection(
            c.casefold() for c in row.categories):
        return False
    # No regions: the warning is nationwide and concerns every region.
    return not (row.regions and facts["regions"]
                and not regions_overlap(row.regions, facts["regions"]))


def matching_subscriptions(db: Session, warning: PublicWarning) -> list[Match]:
    """The active subscriptions (of active users in active organisations) the warning matches
    and whose organisation may read its type, in id order."""
    facts = warning_facts(db, warning)
    s = WarningSubscription
    rows = db.execute(
        select(s.id, s.organisation_id, s.user_id, s.channel, s.email, s.webhook_endpoint_id,
               s.hs_prefixes, s.categories, s.countries, s.levels, s.warning_types, s.regions,
               Organisation.org_type, User.language.label("user_language"),
               User.active.label("user_active"))
        .join(Organisation, Organisation.id == s.organisation_id)
        .outerjoin(User, User.id == s.user_id)
        .where(s.active.is_(True), Organisation.active.is_(True))
        .order_by(s.id)
    ).all()
    return [
        Match(row.id, row.organisation_id, row.user_id, PushChannel(row.channel), row.email,
              row.webhook_endpoint_id, row.user_language)
        for row in rows
        if (row.user_id is None or row.user_active) and subscription_matches(row, facts)
    ]
