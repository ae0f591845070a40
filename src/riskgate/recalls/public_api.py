"""The public side of recalls: which recalls anyone may see, and the public JSON API.

Public recalls are those marked public and started (in progress, completed or closed), of any
origin; drafts and cancelled recalls are not shown. Newest first (by id: the order in which
they were recorded or imported), keyset pagination, search by product, brand, model, title or
enterprise text, filters by origin, category and country. Anything else answers 404.
`GET /api/v1/public/recalls` and `GET /api/v1/public/recalls/{id}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Query
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from riskgate.catalog.enums import WarningType
from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.recalls.enums import RecallOrigin
from riskgate.recalls.models import Recall
from riskgate.recalls.schemas import PublicRecallOut
from riskgate.recalls.service import PUBLIC_STATES, completion_percent
from riskgate.recalls.workflow import OBJECT
from riskgate.warnings.enums import PUBLISHED_STATES
from riskgate.warnings.models import PublicWarning

router = api_router(prefix="/api/v1/public", tags=["public recalls"])


@dataclass(frozen=True)
class RecallFilters:
    q: str | None = None
    origin: RecallOrigin | None = None
    category: str | None = None
    country: str | None = None


def public_statement(filters: RecallFilters) -> Select[Any]:
    stmt = select(Recall).where(Recall.public.is_(True), Recall.status.in_(PUBLIC_STATES))
    if filters.q:
        like = f"%{filters.q.lower()}%"
        stmt = stmt.where(or_(Recall.product_name.ilike(like), Recall.brand.ilike(like),
                              Recall.model.ilike(like), Recall.title.ilike(like),
                              Recall.enterprise_name.ilike(like), Recall.barcode == filters.q))
    if filters.origin is not None:
        stmt = stmt.where(Recall.origin == filters.origin)
    if filters.category:
        stmt = stmt.where(Recall.category == filters.category)
    if filters.country:
        stmt = stmt.where(Recall.country == filters.country.upper())
    return stmt


def list_public(db: Session, filters: RecallFilters, *, limit: int | None,
                cursor: str | None) -> tuple[list[Recall], str | None]:
    return paginate(db, public_statement(filters), id_column=Recall.id,
                    allowed_sorts={"id": Recall.id}, sort=None, default_sort="-id",
                    limit=limit, cursor=cursor)


def get_public(db: Session, recall_id: int) -> Recall:
    recall: Recall | None = db.execute(public_statement(RecallFilters()).where(
        Recall.id == recall_id)).scalar_one_or_none()
    if recall is None:
        raise NotFound(object=OBJECT)
    return recall


def public_warning(db: Session, recall: Recall) -> PublicWarning | None:
    """The linked warning, when the public may read it (a published announcement)."""
    if recall.warning_id is None:
        return None
    warning = db.get(PublicWarning, recall.warning_id)
    if (warning is None or warning.published_at is None
            or warning.status not in PUBLISHED_STATES
            or warning.warning_type != WarningType.announcement):
        return None
    return warning


def categories(db: Session) -> list[str]:
    """The product categories of the public recalls, for the portal's filter."""
    return [category for category in db.execute(select(Recall.category).where(
        Recall.public.is_(True), Recall.status.in_(PUBLIC_STATES), Recall.category.is_not(None))
        .distinct().order_by(Recall.category).limit(200)).scalars() if category is not None]


def public_out(recall: Recall) -> PublicRecallOut:
    values = {name: getattr(recall, name) for name in PublicRecallOut.model_fields
              if hasattr(recall, name)}
    return PublicRecallOut.model_validate({**values,
                                           "completion_percent": completion_percent(recall),
                                           "url": f"/recalls/{recall.id}"})


@router.get("/recalls", response_model=Page[PublicRecallOut],
            summary="Public recalls, newest first")
def public_recalls(
    q: str | None = Query(default=None, max_length=200),
    origin: RecallOrigin | None = None,
    category: str | None = Query(default=None, max_length=100),
    country: str | None = Query(default=None, min_length=2, max_length=2, pattern="^[A-Za-z]{2}$"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.PUBLIC),
) -> Page[PublicRecallOut]:
    rows, next_cursor = list_public(ctx.db, RecallFilters(q=q, origin=origin, category=category,
                                                          country=country),
                                    limit=limit, cursor=cursor)
    return Page(items=[public_out(r) for r in rows], next_cursor=next_cursor)


@router.get("/recalls/{recall_id:int}", response_model=PublicRecallOut)
def public_recall(recall_id: IntId,
                  ctx: RequestContext = require(Permission.PUBLIC)) -> PublicRecallOut:
    return public_out(get_public(ctx.db, recall_id))
