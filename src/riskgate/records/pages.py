"""The console page of one risk record (the list with search and filters is the search
domain's: riskgate.search.pages).

Later stages add sections to the record page (linkage: its near-duplicate cluster): the
templates their `domain.py` declares for the page "record" are included at the end, each given
the `record`.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse, Response

from riskgate.catalog import reference
from riskgate.core import domain
from riskgate.core.http import RequestContext, require
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.enums import Language
from riskgate.identity.exchange import service as exchange
from riskgate.records import service as records
from riskgate.records.enums import AgeGroup
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()


def catalogue_label(kind: str, code: Any, lang: str) -> str:
    """A code's name from the catalogue in the page's language ("—" when empty)."""
    if code is None or code == "":
        return "—"
    value = getattr(code, "value", code)
    entry: Any = {
        "channel": reference.source_channel, "hazard_class": reference.hazard_class,
        "hazard_type": reference.hazard_type, "country": reference.country,
        "region": reference.region, "port": reference.port,
    }[kind](str(value))  # fmt: skip
    return entry.label(lang) if entry is not None else str(value)


@router.get("/console/records/{record_id:int}", response_class=HTMLResponse)
def record_detail(record_id: IntId,
                  ctx: RequestContext = require(Permission.RECORD_READ)) -> Response:
    record = records.get_record(ctx.db, ctx.actor, record_id)
    return render(ctx.request, "console/records/detail.html", {
        "record": record,
        "hs": reference.hs_lookup(record.hs_code[:4]) if record.hs_code else None,
        "label": catalogue_label,
        "AgeGroup": AgeGroup, "Language": Language,
        "sections": domain.sections("record"),
        "origins": exchange.origins(ctx.db, ctx.actor, [record], ctx.language),
    })  # fmt: skip
