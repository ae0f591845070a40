"""Machine-readable publication of warnings: Atom feeds and OASIS CAP 1.2 messages.

Routes (on the shared page router, permission PUBLIC):
- `GET /warnings/feed.atom` — the latest 50 publications and follow-ups of public warnings
  (公告 announcements), newest first; `?level=I`, `?category=玩具`, `?country=DE` narrow it
  (the portal's filters, combinable). The feed is in the caller's language (`?lang=en`).
- `GET /warnings/{id}/cap.xml` — the warning's first publication as a CAP Alert;
- `GET /warnings/{id}/follow-ups/{sequence}/cap.xml` — follow-up n as an Update (adjustment)
  or a Cancel (lifting, withdrawal).

Announcements are readable by anyone; bulletins and notices are 404 to the anonymous and served
to signed-in users who may read them (`lifecycle.service.get_warning`), never cached by shared
caches.

Every message says what the warning was *at that point*: the original frozen at publication
with the changes of follow-ups 1..n applied, so message n never changes when n+1 comes. Feeds
and messages carry ETag and Last-Modified and answer conditional GETs with 304; the feed's
validator is one aggregate query (count and latest change of the matching warnings), so a poll
that finds nothing new never builds the feed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskgate.catalog import reference
from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.context import Actor
from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.models import Organisation
from riskgate.warnings.enums import PUBLISHED_STATES, FollowUpKind
from riskgate.warnings.lifecycle import routing, service
from riskgate.warnings.lifecycle.content import full_snapshot
from riskgate.warnings.models import PublicWarning, WarningFollowUp, WarningProduct
from riskgate.warnings.publication import origin
from riskgate.warnings.publication.atom import (
    ATOM_MEDIA_TYPE,
    AtomCategory,
    AtomEntry,
    AtomFeed,
    AtomLink,
    build_atom,
    tag_uri,
)
from riskgate.warnings.publication.cap import (
    CAP_MEDIA_TYPE,
    LEVEL_NAMES,
    TYPE_NAMES,
    CapArea,
    CapMessage,
    CapReference,
    build_cap,
)
from riskgate.warnings.publication.service import PortalFilters, permalink, public_statement
from riskgate.web.routing import page_router

router = page_router()

FEED_LIMIT = 50
FEED_TAG_DATE = dt.date(2026, 1, 1)  # when riskgate began minting tag: URIs for its feeds
FEED_CACHE = "public, max-age=60"
# Bump when the documents' layout changes, so that validators of old copies stop matching.
FORMAT_VERSION = "1"
CAP_NOT_FOUND = N_("warning")
FOLLOW_UP_TITLES = {
    FollowUpKind.adjustment: N_("Adjustment {sequence}"),
    FollowUpKind.lifting: N_("Lifted"),
    FollowUpKind.withdrawal: N_("Withdrawn (published in error)"),
}


def host_of(base_url: str) -> str:
    """The host name of the site (the CAP sender and the tag: URI authority)."""
    return urlsplit(base_url).hostname or "riskgate"


def web_link(warning: PublicWarning, base_url: str) -> str:
    """Where a person reads the warning: the portal's permalink for an announcement, the
    console page for a bulletin or notice (the portal does not show those)."""
    path = (permalink(warning) if warning.warning_type == WarningType.announcement
            else f"/console/warnings/{warning.id}")
    return base_url.rstrip("/") + path


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------- a warning at a point in time


def original_of(db: Session, warning: PublicWarning) -> dict[str, Any]:
    """The warning as published (the frozen original; the current content if it has none)."""
    if warning.original:
        return dict(warning.original)
    return full_snapshot(db, warning)


def state_after(original: dict[str, Any], follow_ups: list[WarningFollowUp],
                sequence: int | None) -> dict[str, Any]:
    """The original with the changes of follow-ups 1..sequence applied (None: the original)."""
    state = dict(original)
    for follow_up in follow_ups:
        if sequence is None or follow_up.sequence > sequence:
            break
        for name, change in (follow_up.changes or {}).items():
            if isinstance(change, list | tuple) and len(change) == 2:
                state[name] = change[1]
    return state


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _unique(values: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(str(value).strip(), None)
    return tuple(v for v in seen if v)


def _areas(state: dict[str, Any]) -> tuple[CapArea, ...]:
    areas = []
    for code in state.get("regions") or []:
        region = reference.region(code)
        areas.append(CapArea(code, region.name_zh if region else code,
                             region.name_en if region else code, is_region=True))
    for code in state.get("ports") or []:
        port = reference.port(code)
        areas.append(CapArea(code, port.name_zh if port else code,
                             port.name_en if port else code, is_region=False))
    return tuple(areas)


def message_for(warning: PublicWarning, organisation: Organisation, original: dict[str, Any],
                follow_ups: list[WarningFollowUp], sequence: int | None,
                base_url: str, links: str | None = None) -> CapMessage:
    """The CAP message of the publication (sequence None) or of follow-up `sequence`."""
    host = host_of(base_url)
    base_identifier = f"riskgate:{organisation.code}:{warning.number}"
    published_at = _aware(warning.published_at or warning.created_at)
    state = state_after(original, follow_ups, sequence)
    products = state.get("products") or []
    follow_up = None
    references: list[CapReference] = []
    if sequence is not None:
        follow_up = next((f for f in follow_ups if f.sequence == sequence), None)
        if follow_up is None:
            raise NotFound(CAP_NOT_FOUND)
        references.append(CapReference(host, base_identifier, published_at))
        references += [CapReference(host, f"{base_identifier}:u{f.sequence}",
                                    _aware(f.created_at))
                       for f in follow_ups if f.sequence < sequence]
    return CapMessage(
        identifier=base_identifier + (f":u{sequence}" if sequence is not None else ""),
        sender=host,
        sent=_aware(follow_up.created_at) if follow_up else published_at,
        kind=follow_up.kind.value if follow_up else "publication",
        level=str(follow_up.level_after if follow_up else state.get("level") or warning.level),
        warning_type=str(warning.warning_type),
        number=warning.number,
        title=state.get("title") or warning.title,
        title_en=state.get("title_en"),
        summary=state.get("summary"),
        summary_en=state.get("summary_en"),
        hazard=state.get("hazard"),
        consumer_instructions=state.get("consumer_instructions"),
        enterprise_instructions=state.get("enterprise_instructions"),
        effective_from=_date(state.get("effective_from")),
        effective_until=_date(state.get("effective_until")),
        hs_codes=_unique(p.get("hs_code") for p in products),
        categories=_unique(p.get("category") for p in products),
        countries=_unique(state.get("origin_countries") or []),
        areas=_areas(state),
        web=web_link(warning, links or base_url),
        sender_name_zh=organisation.name_zh,
        sender_name_en=organisation.name_en or "",
        reason=follow_up.reason if follow_up else None,
        evaluation=follow_up.evaluation if follow_up else None,
        sequence=sequence,
        references=tuple(references),
    )


def readable_published(db: Session, actor: Actor, warning_id: int) -> PublicWarning:
    """A published warning the actor may read (anyone: announcements), else NotFound."""
    warning = service.get_warning(db, actor, warning_id)
    if warning.status not in PUBLISHED_STATES or warning.published_at is None:
        raise NotFound(CAP_NOT_FOUND)
    return warning


def cap_document(db: Session, actor: Actor, base_url: str, warning_id: int,
                 sequence: int | None = None, links: str | None = None
                 ) -> tuple[bytes, CapMessage, bool]:
    """The CAP XML of a publication or follow-up, its message, and whether it is public."""
    warning = readable_published(db, actor, warning_id)
    organisation = db.get(Organisation, warning.organisation_id)
    assert organisation is not None
    follow_ups = service.follow_ups_of(db, warning.id)
    message = message_for(warning, organisation, original_of(db, warning), follow_ups,
                          sequence, base_url, links)
    # senderName is the issuing authority (where it was routed for its issue), not the office
    # that drafted it; the identifier keeps the drafting office's code (stable references).
    issuer = db.get(Organisation, routing.issuer_id(warning))
    if issuer is not None:
        message = dataclasses.replace(message, sender_name_zh=issuer.name_zh,
                                      sender_name_en=issuer.name_en or "")
    return build_cap(message), message, message.scope == "Public"


# ---------------------------------------------------------------- the Atom feed


def feed_validator(db: Session, filters: PortalFilters) -> tuple[int, dt.datetime | None]:
    """(count, latest change) of the warnings the feed lists: each follow-up changes its
    warning's row, so this moves whenever an entry would be added or changed."""
    matching = public_statement(db, filters).where(
        PublicWarning.published_at.is_not(None)).subquery()
    count, latest = db.execute(select(func.count(), func.max(matching.c.updated_at))).one()
    return int(count), _aware(latest) if latest is not None else None


def _categories(level: str, warning_type: str, categories: tuple[str, ...], language: str,
                base_url: str) -> tuple[AtomCategory, ...]:
    zh = language != "en"
    level_name = LEVEL_NAMES[level][0 if zh else 1]
    label = f"{level}级 {level_name}" if zh else f"Level {level} ({level_name})"
    type_name = TYPE_NAMES[warning_type][0 if zh else 1]
    scheme = base_url.rstrip("/") + "/warnings"
    return (
        AtomCategory(level, label, f"{scheme}#level"),
        AtomCategory(warning_type, type_name, f"{scheme}#type"),
        *(AtomCategory(c, c, f"{scheme}#category") for c in categories),
    )


def _entry(warning: PublicWarning, organisation: Organisation,
           follow_up: WarningFollowUp | None, categories: tuple[str, ...], language: str,
           base_url: str, links: str | None = None) -> AtomEntry:
    host = host_of(base_url)  # identifiers stay the same whatever address the reader used
    base = (links or base_url).rstrip("/")
    published_at = _aware(warning.published_at or warning.created_at)
    specific = f"warning/{organisation.code}/{warning.number}"
    title = (warning.title_en or warning.title) if language == "en" else warning.title
    summary = (warning.summary_en or warning.summary) if language == "en" else warning.summary
    level = str(follow_up.level_after if follow_up else warning.level)
    cap_path = f"/warnings/{warning.id}/cap.xml"
    if follow_up is not None:
        specific += f"/u{follow_up.sequence}"
        what = gettext(FOLLOW_UP_TITLES[follow_up.kind], language, sequence=follow_up.sequence)
        title = f"{what}: {title}" if language == "en" else f"{what}：{title}"
        summary = "\n\n".join(p for p in (follow_up.reason, follow_up.evaluation) if p)
        cap_path = f"/warnings/{warning.id}/follow-ups/{follow_up.sequence}/cap.xml"
    when = _aware(follow_up.created_at) if follow_up else published_at
    prefix = f"[{level}] " if language == "en" else f"【{level}级】"
    return AtomEntry(
        id=tag_uri(host, published_at, specific),
        title=f"{prefix}{title}",
        updated=when,
        published=when,
        summary=summary or title,
        author=organisation.name(language),
        links=(AtomLink(base + permalink(warning), media_type="text/html"),
               AtomLink(base + cap_path, media_type=CAP_MEDIA_TYPE, title="CAP 1.2")),
        categories=_categories(level, str(warning.warning_type), categories, language, base_url),
    )


def feed_entries(db: Session, filters: PortalFilters, language: str, base_url: str,
                 limit: int = FEED_LIMIT, links: str | None = None) -> list[AtomEntry]:
    """The latest `limit` publications and follow-ups of the matching warnings, newest first."""
    matching = public_statement(db, filters).where(PublicWarning.published_at.is_not(None))
    warnings = {w.id: w for w in db.execute(matching.order_by(
        PublicWarning.published_at.desc(), PublicWarning.id.desc()).limit(limit)).scalars()}
    ids = matching.with_only_columns(PublicWarning.id)
    follow_ups = list(db.execute(select(WarningFollowUp).where(
        WarningFollowUp.warning_id.in_(ids)).order_by(
        WarningFollowUp.created_at.desc(), WarningFollowUp.id.desc()).limit(limit)).scalars())
    missing = {f.warning_id for f in follow_ups} - warnings.keys()
    if missing:
        warnings.update({w.id: w for w in db.execute(select(PublicWarning).where(
            PublicWarning.id.in_(missing))).scalars()})
    events: list[tuple[dt.datetime, int, PublicWarning, WarningFollowUp | None]] = [
        (_aware(w.published_at or w.created_at), 0, w, None) for w in warnings.values()
        if w.published_at is not None]
    events += [(_aware(f.created_at), f.sequence, warnings[f.warning_id], f) for f in follow_ups]
    events.sort(key=lambda e: (e[0], e[2].id, e[1]), reverse=True)
    events = events[:limit]
    shown = {e[2].id for e in events}
    organisations = {o.id: o for o in db.execute(select(Organisation).where(
        Organisation.id.in_({warnings[i].organisation_id for i in shown}))).scalars()}
    categories: dict[int, list[str]] = {}
    for warning_id, category in db.execute(select(
            WarningProduct.warning_id, WarningProduct.category).where(
            WarningProduct.warning_id.in_(shown)).order_by(
            WarningProduct.position, WarningProduct.id)):
        if category:
            categories.setdefault(warning_id, []).append(category)
    return [_entry(w, organisations[w.organisation_id], f, _unique(categories.get(w.id, [])),
                   language, base_url, links) for _when, _seq, w, f in events]


def feed_document(db: Session, filters: PortalFilters, language: str, base_url: str,
                  self_url: str, updated: dt.datetime | None, links: str | None = None) -> bytes:
    """`base_url` makes the identifiers (stable), `links` the addresses (the reader's origin)."""
    base = (links or base_url).rstrip("/")
    entries = feed_entries(db, filters, language, base_url, links=links)
    described = [f"{k}={v}" for k, v in (("level", filters.level), ("category", filters.category),
                                         ("country", filters.country)) if v]
    feed_title = gettext(N_("Product quality-safety risk warnings"), language)
    if described:
        feed_title += " (" + ", ".join(described) + ")"
    latest = max([e.updated for e in entries], default=None)
    return build_atom(AtomFeed(
        id=tag_uri(host_of(base_url), FEED_TAG_DATE, "warnings/feed" + (
            "/" + "/".join(described) if described else "")),
        title=feed_title,
        subtitle=gettext(N_("Risk warning announcements to the public, with their follow-ups"),
                         language),
        updated=max(d for d in (latest, updated, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) if d),
        self_link=self_url,
        alternate_link=base + "/warnings",
        author=gettext(N_("riskgate warning portal"), language),
        language="en" if language == "en" else "zh-CN",
        entries=tuple(entries),
    ))


# ---------------------------------------------------------------- conditional GET


def http_date(value: dt.datetime) -> str:
    return format_datetime(_aware(value).astimezone(dt.UTC).replace(microsecond=0), usegmt=True)


def not_modified(request: Request, etag: str, last_modified: dt.datetime | None) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since only without it."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    since = request.headers.get("if-modified-since")
    if since and last_modified is not None:
        try:
            return _aware(last_modified).replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def conditional(request: Request, body: bytes | None, media_type: str, etag: str,
                last_modified: dt.datetime | None, cache: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept-Language, Cookie"}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    if not_modified(request, etag, last_modified) or body is None:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


# ---------------------------------------------------------------- routes


@router.get("/warnings/feed.atom", response_class=Response,
            responses={200: {"content": {ATOM_MEDIA_TYPE: {}}}})
def warnings_feed(
    level: WarningLevel | None = None,
    category: str | None = Query(default=None, max_length=100),
    country: str | None = Query(default=None, max_length=2),
    ctx: RequestContext = require(Permission.PUBLIC),
) -> Response:
    filters = PortalFilters(level=level, category=category, country=country).check()
    count, latest = feed_validator(ctx.db, filters)
    base_url = ctx.settings.base_url
    links = origin.base_url(ctx)
    fingerprint = "|".join(map(str, (FORMAT_VERSION, filters.key(), ctx.language, count, latest,
                                     links)))
    etag = 'W/"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    if not_modified(ctx.request, etag, latest):
        return conditional(ctx.request, None, ATOM_MEDIA_TYPE, etag, latest, FEED_CACHE)
    query = urlencode([(k, v) for k, v in (("level", level), ("category", filters.category),
                                           ("country", filters.country)) if v])
    self_url = links.rstrip("/") + "/warnings/feed.atom" + (f"?{query}" if query else "")
    body = feed_document(ctx.db, filters, ctx.language, base_url, self_url, latest, links)
    return conditional(ctx.request, body, ATOM_MEDIA_TYPE, etag, latest, FEED_CACHE)


def _cap_response(ctx: RequestContext, warning_id: int, sequence: int | None) -> Response:
    body, message, public = cap_document(ctx.db, ctx.actor, ctx.settings.base_url, warning_id,
                                         sequence, links=origin.base_url(ctx))
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    cache = "public, max-age=300" if public else "private, no-cache"
    return conditional(ctx.request, body, CAP_MEDIA_TYPE, etag, message.sent, cache)


@router.get("/warnings/{warning_id:int}/cap.xml", response_class=Response,
            responses={200: {"content": {CAP_MEDIA_TYPE: {}}}})
def warning_cap(warning_id: IntId, ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """The first publication of the warning as a CAP 1.2 Alert."""
    return _cap_response(ctx, warning_id, None)


@router.get("/warnings/{warning_id:int}-{number}/cap.xml", response_class=Response,
            responses={200: {"content": {CAP_MEDIA_TYPE: {}}}})
def warning_cap_by_permalink(warning_id: IntId, number: Annotated[str, Path(max_length=60)],
                             ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """The CAP message at the permalink's form (/warnings/13-RW-2026-0013/cap.xml); a number
    that is not the warning's is a 404 problem, never a 422."""
    warning = readable_published(ctx.db, ctx.actor, warning_id)
    if number != warning.number:
        raise NotFound(CAP_NOT_FOUND)
    return _cap_response(ctx, warning_id, None)


@router.get("/warnings/{warning_id:int}/follow-ups/{sequence:int}/cap.xml", response_class=Response,
            responses={200: {"content": {CAP_MEDIA_TYPE: {}}}})
def follow_up_cap(warning_id: IntId, sequence: Annotated[int, Path(ge=1, le=10_000)],
                  ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """Follow-up `sequence` of the warning as a CAP 1.2 Update or Cancel."""
    return _cap_response(ctx, warning_id, sequence)
