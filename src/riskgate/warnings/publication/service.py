"""What the public sees of warnings: the portal's queries (no HTTP), and the portal's index
kept current as warnings are issued (`on_warning_issued`, listed in the composition root).

The public sees announcements (公告) only, and only once published: published, adjusted, lifted
or withdrawn. Bulletins (通报, regulators) and notices (通告, regulators and the enterprises
named) never appear here, whoever asks: their readers use the console. Anything else is 404.

Lists are newest first (publication time, then id) with keyset cursors, also when searching, so
that a page costs the same at any depth and stays correct while warnings are published. Filters
on countries and categories are indexed lookups in `warning_facet`, never JSON. Counts per level
and state cover the whole filtered set and are cached per process for a minute; the category
and country choices (with their overall counts) for ten minutes.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.context import Actor
from riskgate.core.db import is_postgresql
from riskgate.core.errors import FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from riskgate.identity.models import Organisation
from riskgate.search.service import check_query
from riskgate.search.tokens import query_terms
from riskgate.warnings.enums import (
    IN_FORCE_STATES,
    PUBLISHED_STATES,
    PublicState,
    WarningStatus,
)
from riskgate.warnings.events import WarningIssued
from riskgate.warnings.lifecycle import routing
from riskgate.warnings.lifecycle import service as lifecycle
from riskgate.warnings.lifecycle.content import products_of
from riskgate.warnings.models import PublicWarning, WarningFacet, WarningFollowUp, WarningProduct
from riskgate.warnings.publication import search_index

T = TypeVar("T")
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
PUBLIC_TYPE = WarningType.announcement
DENSE = 2000  # a filter matching at least this many warnings is scanned in publication order
COUNTS_TTL_SECONDS = 60.0
CHOICES_TTL_SECONDS = 600.0
COUNTS_CACHE_SIZE = 256
TOP_VALUES = 30  # categories and countries offered in the filters
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True)
class PortalFilters:
    """Filters of the public list (all optional, all combined). Dates are local days
    (Asia/Shanghai) of publication, both ends included."""

    q: str | None = None
    level: WarningLevel | None = None
    category: str | None = None
    country: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    state: PublicState | None = None

    def __post_init__(self) -> None:
        for name in ("q", "category", "country"):
            value = getattr(self, name)
            if value is not None:
                value = value.replace("\x00", "").strip() or None
                object.__setattr__(self, name, value)
        if self.country is not None:
            object.__setattr__(self, "country", self.country.upper())

    def checked(self) -> tuple[PortalFilters, list[FieldProblem]]:
        """The filters with the query normalised, and what is wrong with them (a page shows
        each problem beside its filter)."""
        problems = []
        try:
            query = check_query(self.q)
        except ValidationFailed as error:  # the search's own rules for a query
            problems += error.fields
            query = None
        if self.country is not None and not _COUNTRY.match(self.country):
            problems.append(FieldProblem(
                "country", N_("Give a country as its two-letter ISO code, e.g. DE.")))
        if self.category is not None and len(self.category) > 100:
            problems.append(FieldProblem(
                "category", N_("The category may have at most {max} characters."), {"max": 100}))
        for name in ("date_from", "date_to"):
            day = getattr(self, name)
            if day is not None and not (dt.date(1900, 1, 1) <= day <= dt.date(9998, 12, 31)):
                problems.append(FieldProblem(name, N_("Give a date between 1900 and 9998.")))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            problems.append(FieldProblem(
                "date_to", N_("The end date must not be before the start date.")))
        if problems:
            return PortalFilters(), problems
        return PortalFilters(**{**asdict(self), "q": query}), []

    def check(self) -> PortalFilters:
        """The filters validated (422 with field errors) and the query normalised."""
        filters, problems = self.checked()
        if problems:
            raise ValidationFailed(fields=problems)
        return filters

    def key(self) -> tuple[Any, ...]:
        return tuple(asdict(self).values())

    def active(self) -> bool:
        return any(v is not None for v in asdict(self).values())


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ).astimezone(dt.UTC)


def _facet_ids(name: str, value: str) -> Select[Any]:
    """Ids of the warnings with this facet value (the (facet, value, warning_id) index)."""
    return select(WarningFacet.warning_id).where(WarningFacet.facet == name,
                                                 WarningFacet.value == value)


def _plain(column: Any) -> Any:
    """The column as an expression no index applies to (`col || ''`): for dense lists the
    database should walk the publication-time index in order and stop at the page, rather than
    gather every announcement through the type or level index and sort them all."""
    return type_coerce(column, String()) + ""


def _reader_condition(actor: Actor | None) -> ColumnElement[bool]:
    """What a reader may find on the portal: published announcements for the public; a
    signed-in reader also finds the published warnings the life-cycle service lets them read
    (a regulator every 通报 and 通告, an enterprise the 通告 naming it). Never a draft, nor a
    draft discarded before publication."""
    published = and_(PublicWarning.status.in_(PUBLISHED_STATES),
                     PublicWarning.published_at.is_not(None))
    if actor is None or not actor.is_authenticated:
        return and_(PublicWarning.warning_type == PUBLIC_TYPE, published)
    visible = lifecycle.visibility_condition(actor)
    return published if visible is None else and_(published, visible)


def _public_base(actor: Actor | None = None) -> Select[Any]:
    """Warnings the reader may find (lookups by id or number)."""
    return select(PublicWarning).where(_reader_condition(actor))


def public_statement(db: Session, filters: PortalFilters, *, dense: bool = False,
                     actor: Actor | None = None) -> Select[Any]:
    """Warnings matching the (checked) filters that the reader may find, unordered. `dense`:
    most warnings match, so conditions are written for a scan in publication order (see
    `_plain`)."""
    wrap = _plain if dense else (lambda column: column)
    # Dense: the id is probed against each (materialised) id list while scanning in order.
    ident = PublicWarning.id + 0 if dense else PublicWarning.id
    if actor is not None and actor.is_authenticated:
        stmt = select(PublicWarning).where(_reader_condition(actor))
    else:
        stmt = select(PublicWarning).where(
            wrap(PublicWarning.warning_type) == PUBLIC_TYPE.value,
            wrap(PublicWarning.status).in_([s.value for s in PUBLISHED_STATES]),
            PublicWarning.published_at.is_not(None))
    if filters.level is not None:
        stmt = stmt.where(wrap(PublicWarning.level) == str(filters.level))
    if filters.state == PublicState.in_force:
        stmt = stmt.where(wrap(PublicWarning.status).in_([s.value for s in IN_FORCE_STATES]))
    elif filters.state == PublicState.lifted:
        stmt = stmt.where(wrap(PublicWarning.status) == WarningStatus.lifted.value)
    if filters.category:
        stmt = stmt.where(ident.in_(_facet_ids("category", filters.category)))
    if filters.country:
        stmt = stmt.where(ident.in_(_facet_ids("country", filters.country)))
    if filters.date_from:
        stmt = stmt.where(PublicWarning.published_at >= _local_midnight(filters.date_from))
    if filters.date_to:
        end = _local_midnight(filters.date_to + dt.timedelta(days=1))
        stmt = stmt.where(PublicWarning.published_at < end)
    terms = query_terms(filters.q) if filters.q else []
    if terms:
        hits = search_index.hits(db, terms)
        stmt = stmt.where(ident.in_(select(hits.c.warning_id)))
    return stmt


def _is_dense(db: Session, filters: PortalFilters) -> bool:
    """Whether every id-restricting filter (text, category, country) matches at least DENSE
    warnings: then a scan in publication order finds a page quickly; otherwise the database
    should start from the few matching ids (each count stops at DENSE)."""
    candidates: list[Select[Any]] = []
    if filters.category:
        candidates.append(_facet_ids("category", filters.category))
    if filters.country:
        candidates.append(_facet_ids("country", filters.country))
    terms = query_terms(filters.q) if filters.q else []
    if terms:
        hits = search_index.hits(db, terms)
        candidates.append(select(hits.c.warning_id))
    for ids in candidates:
        found = db.execute(select(func.count()).select_from(
            ids.limit(DENSE).subquery())).scalar_one()
        if found < DENSE:
            return False
    return True


def _encode_cursor(published_at: dt.datetime, warning_id: int) -> str:
    raw = json.dumps([published_at.astimezone(dt.UTC).isoformat(), warning_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    """(publication time, id) of the last row of the previous page; None when damaged."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        when, ident = json.loads(base64.urlsafe_b64decode(padded.encode()))
        moment = dt.datetime.fromisoformat(when)
    except (ValueError, TypeError, json.JSONDecodeError):
        return None
    if not isinstance(ident, int) or moment.tzinfo is None:
        return None
    return moment, ident


def cursor_problems(cursor: str | None) -> list[FieldProblem]:
    """What is wrong with a cursor a page was given (a damaged or hand-made link)."""
    if not cursor or _read_cursor(cursor) is not None:
        return []
    return [FieldProblem("cursor", N_("The cursor is not valid; start again from the first "
                                      "page."))]


def list_public(
    db: Session, filters: PortalFilters, *, limit: int | None = None, cursor: str | None = None,
    actor: Actor | None = None,
) -> tuple[list[PublicWarning], str | None]:
    """One page of public warnings, newest first (publication time, then id): a keyset cursor,
    so every page costs the same and none repeats or skips while warnings are published."""
    size = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_LIMIT:
        raise ValidationFailed(fields=[FieldProblem(
            "limit", N_("limit must be between 1 and {max}."), {"max": MAX_LIMIT})])
    checked = filters.check()
    # SQLite's planner needs the hint; PostgreSQL's statistics find the ordered scan by itself.
    signed_in = actor is not None and actor.is_authenticated
    dense = not signed_in and not is_postgresql(db) and _is_dense(db, checked)
    stmt = public_statement(db, checked, dense=dense, actor=actor)
    if cursor:
        position = _read_cursor(cursor)
        if position is None:
            raise ValidationFailed(fields=cursor_problems(cursor))
        after, ident = position
        # The first condition is a plain range on the publication-time index.
        stmt = stmt.where(PublicWarning.published_at <= after,
                          or_(PublicWarning.published_at < after, PublicWarning.id < ident))
    stmt = stmt.order_by(PublicWarning.published_at.desc(), PublicWarning.id.desc())
    rows = list(db.execute(stmt.limit(size + 1)).scalars())
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = _encode_cursor(last.published_at, last.id)
    return rows, next_cursor


# --- facet counts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetCounts:
    """How many public warnings match the filters, in total, per level and per state; and the
    categories and countries to offer, with how many public warnings each has overall."""

    total: int
    levels: dict[str, int] = field(default_factory=dict)
    states: dict[str, int] = field(default_factory=dict)
    categories: list[tuple[str, int]] = field(default_factory=list)
    countries: list[tuple[str, int]] = field(default_factory=list)


_counts_lock = threading.Lock()
_counts_cache: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
_computing: dict[tuple[Any, ...], threading.Lock] = {}


def clear_counts_cache() -> None:
    with _counts_lock:
        _counts_cache.clear()


def _cached(key: tuple[Any, ...], ttl: float, compute: Callable[[], T]) -> T:
    """The cached value of `key`, computed once at a time: requests arriving together for a
    cold key wait for the first one instead of all counting at once."""
    now = time.monotonic()
    with _counts_lock:
        cached = _counts_cache.get(key)
        if cached is not None and now - cached[0] < ttl:
            _counts_cache.move_to_end(key)
            return cast(T, cached[1])  # what `compute` made for this key
        computing = _computing.setdefault(key, threading.Lock())
    with computing:
        with _counts_lock:
            cached = _counts_cache.get(key)
        if cached is not None and time.monotonic() - cached[0] < ttl:
            return cast(T, cached[1])
        try:
            value = compute()
            with _counts_lock:
                _counts_cache[key] = (time.monotonic(), value)
                _counts_cache.move_to_end(key)
                while len(_counts_cache) > COUNTS_CACHE_SIZE:
                    _counts_cache.popitem(last=False)
        finally:
            with _counts_lock:
                _computing.pop(key, None)
    return value


def _top_values(db: Session, name: str) -> list[tuple[str, int]]:
    """The most frequent values of a facet among all public warnings."""
    public = _public_base().with_only_columns(PublicWarning.id).subquery("public")
    number = func.count().label("n")
    rows = db.execute(
        select(WarningFacet.value, number).join(public, public.c.id == WarningFacet.warning_id)
        .where(WarningFacet.facet == name)
        .group_by(WarningFacet.value).order_by(number.desc(), WarningFacet.value)
        .limit(TOP_VALUES)
    )
    return [(value, int(n)) for value, n in rows]


def _compute_counts(db: Session, filters: PortalFilters) -> FacetCounts:
    matching = public_statement(db, filters).with_only_columns(
        PublicWarning.level, PublicWarning.status).subquery("matching")
    levels: dict[str, int] = {}
    states = {PublicState.in_force.value: 0, PublicState.lifted.value: 0}
    total = 0
    for level, status, count in db.execute(
        select(matching.c.level, matching.c.status, func.count())
        .group_by(matching.c.level, matching.c.status)
    ):
        total += count
        levels[str(level)] = levels.get(str(level), 0) + count
        if status in IN_FORCE_STATES:
            states[PublicState.in_force.value] += count
        elif status == WarningStatus.lifted:
            states[PublicState.lifted.value] += count
    choices = _cached(("choices",), CHOICES_TTL_SECONDS,
                      lambda: (_top_values(db, "category"), _top_values(db, "country")))
    return FacetCounts(total, levels, states, list(choices[0]), list(choices[1]))


def facet_counts(db: Session, filters: PortalFilters) -> FacetCounts:
    """Counts for the filters (checked), cached per process for COUNTS_TTL_SECONDS (the
    category and country choices for CHOICES_TTL_SECONDS): a busy portal does not count
    100,000 rows on every page view, and a minute-old count is still honest."""
    checked = filters.check()
    return _cached(("counts", *checked.key()), COUNTS_TTL_SECONDS,
                   lambda: _compute_counts(db, checked))


# --- detail ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicDetail:
    """A public warning with its products and follow-ups; `original` is the warning as first
    published (frozen at publication), `warning` what is in force now."""

    warning: PublicWarning
    products: list[WarningProduct]
    follow_ups: list[WarningFollowUp]
    # The issuing authority (签发机关): where the warning was routed for its issue.
    issuer: Organisation | None = None

    def issuer_name(self, language: str) -> str | None:
        return self.issuer.name(language) if self.issuer is not None else None

    @property
    def original(self) -> dict[str, Any]:
        return dict(self.warning.original or self.warning.snapshot())

    @property
    def original_products(self) -> list[dict[str, Any]]:
        stored = self.original.get("products")
        if isinstance(stored, list):
            return [p for p in stored if isinstance(p, dict)]
        return [p.snapshot() for p in self.products]

    @property
    def permalink(self) -> str:
        return permalink(self.warning)


def permalink(warning: PublicWarning) -> str:
    """The stable public address of a warning: /warnings/{id}-{number}."""
    return f"/warnings/{warning.id}-{warning.number}"


def get_public(db: Session, warning_id: int, actor: Actor | None = None) -> PublicDetail:
    """The published warning with this id; 404 unless the reader may find it (see
    `_reader_condition`)."""
    warning = db.execute(_public_base(actor).where(
        PublicWarning.id == warning_id)).scalar_one_or_none()
    if warning is None:
        raise NotFound(N_("warning"))
    return PublicDetail(warning, products_of(db, warning.id),
                        lifecycle.follow_ups_of(db, warning.id),
                        db.get(Organisation, routing.issuer_id(warning)))


def get_public_by_number(db: Session, number: str,
                         actor: Actor | None = None) -> PublicDetail:
    """The latest public warning with this number (numbers are unique per organisation)."""
    found = db.execute(_public_base(actor).where(PublicWarning.number == number[:30])
                       .order_by(PublicWarning.id.desc()).limit(1)).scalar_one_or_none()
    if found is None:
        raise NotFound(N_("warning"))
    return get_public(db, found.id, actor)


def on_warning_issued(db: Session, event: WarningIssued) -> None:
    """Follows `warning.issued`: the portal's search index holds the warning as now in force
    (a lifted or withdrawn one too: the portal still shows it with its follow-up)."""
    search_index.index_warning(db, event.warning)
