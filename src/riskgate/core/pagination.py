"""Cursor pagination and sorting for list endpoints (conventions in docs/api.md).

A cursor is an opaque, URL-safe token holding the sort value and id of the last item returned;
the next page is everything strictly after it in the sort order. Unlike offsets, cursors stay
correct while rows are inserted, and cost the same on page 1,000 as on page 1.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.i18n import N_

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool


def parse_sort(
    value: str | None, allowed: Mapping[str, InstrumentedAttribute[Any]], default: str
) -> Sort:
    raw = (value or default).strip()
    descending = raw.startswith("-")
    key = raw.lstrip("-+")
    if key not in allowed:
        raise ValidationFailed(
            fields=[
                FieldProblem(
                    "sort",
                    N_("Cannot sort by {key}; use one of: {allowed} (prefix - for descending)."),
                    {"key": key, "allowed": ", ".join(sorted(allowed))},
                )
            ]
        )
    return Sort(key, descending)


def _encode(value: Any, ident: int) -> str:
    if isinstance(value, dt.datetime):
        value = {"dt": value.astimezone(dt.UTC).isoformat()}
    elif hasattr(value, "value"):
        value = value.value
    raw = json.dumps([value, ident], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, ident = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if isinstance(value, dict) and "dt" in value:
            value = dt.datetime.fromisoformat(value["dt"])
        if not isinstance(ident, int):
            raise ValueError
        return value, ident
    except (ValueError, TypeError, json.JSONDecodeError) as error:
        raise ValidationFailed(
            fields=[
                FieldProblem(
                    "cursor", N_("The cursor is not valid; start again from the first page.")
                )
            ]
        ) from error


def paginate(
    db: Session,
    stmt: Select[Any],
    *,
    id_column: InstrumentedAttribute[Any],
    allowed_sorts: Mapping[str, InstrumentedAttribute[Any]],
    sort: str | None,
    default_sort: str,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[Any], str | None]:
    """Run `stmt` for one page; returns the rows and the cursor of the next page (or None)."""
    size = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_LIMIT:
        raise ValidationFailed(
            fields=[
                FieldProblem("limit", N_("limit must be between 1 and {max}."), {"max": MAX_LIMIT})
            ]
        )
    order = parse_sort(sort, allowed_sorts, default_sort)
    column = allowed_sorts[order.key]
    if cursor:
        value, ident = _decode(cursor)
        if column is id_column:
            stmt = stmt.where(id_column < ident if order.descending else id_column > ident)
        elif order.descending:
            stmt = stmt.where(or_(column < value, and_(column == value, id_column < ident)))
        else:
            stmt = stmt.where(or_(column > value, and_(column == value, id_column > ident)))
    if column is id_column:
        stmt = stmt.order_by(id_column.desc() if order.descending else id_column.asc())
    else:
        stmt = stmt.order_by(
            column.desc() if order.descending else column.asc(),
            id_column.desc() if order.descending else id_column.asc(),
        )
    rows = list(db.execute(stmt.limit(size + 1)).unique().scalars())
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = _encode(getattr(last, column.key), getattr(last, id_column.key))
    return rows, next_cursor
