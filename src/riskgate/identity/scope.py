"""Data scope: an actor sees their organisation's subtree plus what is shared with it.

Every list and every lookup goes through these helpers, so the rule lives in one place. An object
outside scope answers NotFound (404), never PermissionDenied, so its existence is not disclosed.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from riskgate.core.context import Actor
from riskgate.core.errors import NotFound
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


def scope_condition(
    actor: Actor,
    org_column: InstrumentedAttribute[Any],
    *,
    object_type: str | None = None,
    id_column: InstrumentedAttribute[Any] | None = None,
) -> ColumnElement[bool] | None:
    """The WHERE clause limiting `org_column` (and shared objects) to the actor's scope."""
    subtree = visible_org_ids(actor)
    if subtree is None:
        return None
    condition: ColumnElement[bool] = org_column.in_(subtree)
    if object_type is not None and id_column is not None:
        shared = select(ScopeGrant.object_id).where(
            ScopeGrant.object_type == object_type, ScopeGrant.organisation_id.in_(subtree)
        )
        condition = or_(condition, id_column.in_(shared))
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
) -> T:
    """Load one object by id if the actor may see it, else raise NotFound."""
    stmt = select(model).where(model.id == object_id)
    stmt = scoped(
        stmt,
        actor,
        org_column,
        object_type=object_type,
        id_column=model.id if object_type else None,
    )
    found = session.execute(stmt).unique().scalar_one_or_none()
    if found is None:
        raise NotFound(object_name)
    return found


def org_in_scope(actor: Actor, organisation: Organisation) -> bool:
    return actor.is_system or (
        bool(actor.organisation_path) and organisation.path.startswith(actor.organisation_path)
    )
