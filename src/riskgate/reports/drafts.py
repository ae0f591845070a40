"""From a report to a draft of the unified risk record (pure, apart from catalogue lookups).

The draft carries only what the record standard holds about the product and the event; the
reporter's contact or identity never goes into it (nor into its raw payload), because records are
read and searched by many officers.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from typing import Any

from stdnum.cn import ric

from riskgate.catalog.enums import SourceChannel
from riskgate.core.errors import FieldProblem
from riskgate.core.i18n import N_, gettext
from riskgate.core.uploads import Upload
from riskgate.records.enums import Confidentiality, TradeDirection
from riskgate.records.standard import Problems, finish, map_standard
from riskgate.reports.enums import ReportRoute
from riskgate.reports.schemas import AttachmentIn, ProductFields

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
FUTURE = N_("Must not be in the future.")
# Where map_standard names a field differently from the forms.
_FIELD_NAMES = {"enterprises.0.uscc": "enterprise_uscc", "enterprises.0": "enterprise_name",
                "retailer": "purchase_place", "manufacturer": "enterprise_name"}


def text_language(text: str, fallback: str) -> str:
    """zh-CN when the text has Chinese characters, else the reporter's page language."""
    return "zh-CN" if _CJK.search(text) else fallback


def title_for(template: str, product: str, description: str, language: str) -> str:
    first_line = description.strip().splitlines()[0] if description.strip() else ""
    summary = first_line[:60] + ("…" if len(first_line) > 60 else "")
    return gettext(template, language, product=product, summary=summary)


def common_checks(body: ProductFields, fields: list[FieldProblem]) -> None:
    if body.occurred_on is not None and body.occurred_on > dt.date.today() + dt.timedelta(days=1):
        fields.append(FieldProblem("occurred_on", FUTURE))


def decode_attachments(items: list[AttachmentIn], fields: list[FieldProblem]) -> list[Upload]:
    uploads = []
    for index, item in enumerate(items):
        try:
            data = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            fields.append(FieldProblem(f"attachments.{index}.content_base64",
                                       N_("Not valid base64.")))
            continue
        uploads.append(Upload(item.file_name, data))
    return uploads


def check_id_number(value: str | None, loc: str, fields: list[FieldProblem]) -> str | None:
    """A mainland resident ID (18 characters) must be valid; other documents are kept as typed."""
    if not value:
        return None
    text = value.strip().upper()
    if re.fullmatch(r"[0-9]{17}[0-9X]", text) and not ric.is_valid(text):
        fields.append(FieldProblem(loc, N_("Not a valid resident identity card number.")))
    return text


def build(
    body: ProductFields,
    *,
    channel: SourceChannel,
    reference: str,
    title: str,
    language: str,
    confidentiality: Confidentiality,
    extra: dict[str, Any],
    fields: list[FieldProblem],
) -> tuple[dict[str, Any], str]:
    """The record draft and its raw payload; problems go to `fields` under the form's names."""
    origin = body.origin_country
    data: dict[str, Any] = {
        "source_channel": channel.value,
        "external_reference": reference,
        "title": title,
        "description": body.description,
        "language": language,
        "product_name": body.product_name,
        "brand": body.brand,
        "model": body.model,
        "batch_number": body.batch_number,
        "region_code": body.region_code,
        "occurred_on": body.occurred_on.isoformat() if body.occurred_on else None,
        "origin_country": origin,
        "trade_direction": (TradeDirection.import_ if body.route == ReportRoute.border
                            else TradeDirection.unknown).value,
        "confidentiality": confidentiality.value,
        **extra,
    }
    problems = Problems()
    draft = finish(map_standard(data, problems), problems)
    if (draft.get("trade_direction") == TradeDirection.unknown and draft.get("origin_country")
            and draft["origin_country"] != "CN"):
        draft["trade_direction"] = TradeDirection.import_
    for problem in problems.items:
        name = _FIELD_NAMES.get(problem["field"], problem["field"])
        fields.append(FieldProblem(name, problem["message"], problem.get("params") or {}))
    raw = {k: v for k, v in data.items() if v is not None}
    return draft, json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
