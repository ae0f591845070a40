"""Data scope: an actor sees their organisation's subtree plus what is shared with it.

Every list and every lookup goes through these helpers, so the rule lives in one place. An object
outside scope answers NotFound (404), never PermissionDenied, so its existence is not disclosed.

Shared means (when the caller names the `object_type`): a one-off share of that object with an
organisation of the actor's subtree (`ScopeGrant`: transferred, copied, routed), or an accepted
exchange agreement (riskgate.identity.exchange) whose receiver is in the actor's subtree, whose
provider's subtree holds the object's owner, which lets that category flow, and whose filter terms
match the object's columns named in `share` (a dimension the caller does not name is not
filtered). `to_act=True` admits only what the actor may act on: its own subtree, agreements with
the right to act, transfers and routings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, exists, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from riskgate.core.context import Actor
from riskgate.core.errors import NotFound
from riskgate.identity.exchange.enums import (
    ACTING_KINDS,
    AgreementStatus,
    ExchangeAccess,
    ShareCategory,
    TermDimension,
)
from riskgate.identity.exchange.models import AgreementTerm, ExchangeAgreement
from riskgate.identity.models import Organisation, ScopeGrant


class Identified(Protocol):
    """A model whose rows are looked up by `id`."""

    id: Any


T = TypeVar("T", bound=Identified)
# Any SELECT, of one entity or of several columns: `scoped` gives back the same kind.
AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


def in_subtree(path_column: InstrumentedAttribute[str], prefix: str) -> ColumnElement[bool]:
    """`path_column` is `prefix` or below it, as an index range rather than a LIKE.

    Paths hold only digits and "/", and "0" follows "/" in byte order, so the subtree of
    "/1/4/" is exactly the range ["/1/4/", "/1/40"). The column is declared with the C
    collation on PostgreSQL (and SQLite compares bytes), so the range is byte-wise and can use
    the index; LIKE could not (SQLite's LIKE ignores case and skips the index).
    """
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (path_column >= prefix) & (path_column < upper)


def visible_org_ids(actor: Actor) -> Select[Any] | None:
    """A subquery of the organisation ids the actor may see; None means unrestricted (system)."""
    if actor.is_system:
        return None
    if not actor.is_authenticated or not actor.organisation_path:
        return select(Organisation.id).where(false())
    return select(Organisation.id).where(in_subtree(Organisation.path, actor.organisation_path))


@dataclass(frozen=True)
class ShareColumns:
    """The object's columns matched against an agreement's filter terms (None: not filtered).

    `hazard` and `channel` match a code exactly; `product` (an HS code) and `region` (a region
    code) match by prefix: an HS chapter "95", a region "31" (Shanghai) or "3101".
    """

    hazard: Any = None
    product: Any = None
    channel: Any = None
    region: Any = None


_PREFIX_DIMENSIONS = frozenset({TermDimension.product, TermDimension.region})
_SHAREABLE = frozenset(c.value for c in ShareCategory)


def _term_matches(agreement: Any, dimension: TermDimension, column: Any) -> ColumnElement[bool]:
    """The agreement has no term of this dimension, or one that matches the column."""
    term = aliased(AgreementTerm)
    any_term = exists().where(term.agreement_id == agreement.id, term.dimension == dimension
                              ).correlate_except(term)
    match = aliased(AgreementTerm)
    if dimension in _PREFIX_DIMENSIONS:
        hit = func.substr(column, 1, func.length(match.code)) == match.code
    else:
        hit = column == match.code
    # Correlated explicitly: the object's column is two levels up (auto-correlation reaches
    # only the immediately enclosing SELECT).
    matching = exists().where(match.agreement_id == agreement.id, match.dimension == dimension,
                              hit).correlate_except(match)
    return or_(~any_term, matching)


def agreement_condition(actor: Actor, org_column: Any, object_type: str, *,
                        share: ShareColumns | None = None,
                        to_act: bool = False) -> ColumnElement[bool]:
    """EXISTS an accepted agreement letting this object flow to the actor's subtree."""
    agreement = aliased(ExchangeAgreement)
    provider = aliased(Organisation)
    owner = aliased(Organisation)
    receiver = aliased(Organisation)
    category = aliased(AgreementTerm)
    conditions: list[ColumnElement[bool]] = [
        agreement.status == AgreementStatus.accepted,
        receiver.id == agreement.receiver_id,
        in_subtree(receiver.path, actor.organisation_path),
        provider.id == agreement.provider_id,
        owner.id == org_column,
        func.substr(owner.path, 1, func.length(provider.path)) == provider.path,
        exists().where(category.agreement_id == agreement.id,
                       category.dimension == TermDimension.category,
                       category.code == object_type).correlate_except(category),
    ]
    if to_act:
        conditions.append(agreement.access == ExchangeAccess.act)
    share = share or ShareColumns()
    for dimension in (TermDimension.hazard, TermDimension.product, TermDimension.channel,
                      TermDimension.region):
        column = getattr(share, dimension.value)
        if column is not None:
            conditions.append(_term_matches(agreement, dimension, column))
    return exists().where(*conditions).correlate_except(agreement, provider, owner, receiver)


def scope_condition(
    actor: Actor,
    org_column: InstrumentedAttribute[Any],
    *,
    object_type: str | None = None,
    id_column: InstrumentedAttribute[Any] | None = None,
    share: ShareColumns | None = None,
    to_act: bool = False,
) -> ColumnElement[bool] | None:
    """The WHERE clause limiting `org_column` (and shared objects) to the actor's scope.

    With an `object_type`, objects shared with the actor's subtree count too (one-off shares of
    the row whose id is `id_column`, by default the `id` of `org_column`'s model, and accepted
    agreements, filtered on the `share` columns); `to_act` keeps only what may be acted on.
    """
    subtree = visible_org_ids(actor)
    if subtree is None:
        return None
    condition: ColumnElement[bool] = org_column.in_(subtree)
    if object_type is not None:
        if id_column is None:
            id_column = getattr(org_column.class_, "id", None)
        if id_column is not None:
            grants = select(ScopeGrant.object_id).where(
                ScopeGrant.object_type == object_type, ScopeGrant.organisation_id.in_(subtree)
            )
            if to_act:
                grants = grants.where(ScopeGrant.kind.in_(ACTING_KINDS))
            condition = or_(condition, id_column.in_(grants))
        if object_type in _SHAREABLE and actor.organisation_path:
            condition = or_(condition, agreement_condition(
                actor, org_column, object_type, share=share, to_act=to_act))
    return condition


def scoped(stmt: AnySelect, actor: Actor, org_column: InstrumentedAttribute[Any],
           **kwargs: Any) -> AnySelect:
    """`stmt` limited to the actor's scope (see `scope_condition`)."""
    condition = scope_condition(actor, org_column, **kwargs)
    return stmt if condition is None else stmt.where(condition)


def get_in_scope(
    session: Session,
    model: type[T],
    object_id: int,
    actor: Actor,
    org_column: InstrumentedAttribute[Any],
    *,
    object_name: str,
    object_type: str | None = None,
    share: ShareColumns | None = None,
    to_act: bool = False,
) -> T:
    """Load one object by id if the actor may see it (act on it, with `to_act`), else raise
    NotFound."""
    stmt = select(model).where(model.id == object_id)
    stmt = scoped(
        stmt,
        actor,
        org_column,
        object_type=object_type,
        id_column=model.id if object_type else None,
        share=share,
        to_act=to_act,
    )
    found = session.execute(stmt).unique().scalar_one_or_none()
    if found is None:
        raise NotFound(object_name)
    return found


def in_own_subtree(actor: Actor, organisation_path: str | None) -> bool:
    """Whether an organisation (by path) is the actor's own or below it: a shared object's
    owner outside it is shown as the object's origin."""
    return actor.is_system or (
        bool(actor.organisation_path and organisation_path)
        and str(organisation_path).startswith(actor.organisation_path)
    )


def org_in_scope(actor: Actor, organisation: Organisation) -> bool:
    return actor.is_system or (
        bool(actor.organisation_path) and organisation.path.startswith(actor.organisation_path)
    )
