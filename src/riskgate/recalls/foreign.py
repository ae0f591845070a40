"""Foreign recalls: every risk record imported from the US CPSC feed becomes a `Recall(origin=
foreign, country="US")`, shown on the portal as “境外召回（美国CPSC）”.

It follows the records stage's `record.stored` event (`on_records_stored`), in the same
transaction as the records' insert: a record cannot be stored without its recall, and a
re-import (duplicates are not new records) creates none twice. `import_foreign_recalls` does
the same for records stored before the step existed (idempotent: one recall per record).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import SourceChannel
from riskgate.core.context import Actor
from riskgate.core.numbers import next_number
from riskgate.recalls.enums import RecallOrigin, RecallStatus, Remedy
from riskgate.recalls.models import Recall
from riskgate.recalls.workflow import OBJECT_TYPE
from riskgate.records.events import RecordsStored
from riskgate.records.models import RiskRecord

FOREIGN_CHANNELS = {SourceChannel.feed_cpsc.value: "US"}
CPSC_SEARCH = "https://www.cpsc.gov/Recalls?search_combined_fields={number}"
_UNITS = re.compile(r"(\d[\d,.]*)\s*(million|thousand)?", re.IGNORECASE)
_REMEDY_WORDS = (("refund", Remedy.refund), ("repair", Remedy.repair),
                 ("replace", Remedy.replace))


def units_from(text: str | None) -> int:
    """“About 9,500” → 9500; “About 1.2 million” → 1200000; 0 when unknown."""
    match = _UNITS.search(text or "")
    if not match:
        return 0
    try:
        value = float(match[1].replace(",", ""))
    except ValueError:
        return 0
    scale = {"million": 1_000_000, "thousand": 1_000}.get((match[2] or "").lower(), 1)
    return min(int(value * scale), 2_000_000_000)


def remedies_from(text: str | None) -> list[str]:
    lowered = (text or "").lower()
    return [remedy.value for word, remedy in _REMEDY_WORDS if word in lowered]


def _payload(record: RiskRecord) -> dict[str, Any]:
    try:
        data = json.loads(record.raw_payload or "")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _enterprise_name(record: RiskRecord, payload: dict[str, Any]) -> str:
    by_role = {e.role.value if hasattr(e.role, "value") else e.role: e.name
               for e in reversed(record.enterprises) if e.name}
    for role in ("manufacturer", "importer", "other", "retailer"):
        if by_role.get(role):
            return str(by_role[role])[:300]
    return (record.brand or record.product_name or "-")[:300]


def recall_from_record(db: Session, record: RiskRecord) -> Recall:
    """The foreign recall of an imported record (not yet added to the session)."""
    payload = _payload(record)
    url = payload.get("URL") if isinstance(payload.get("URL"), str) else None
    return Recall(
        number=next_number(db, "RCL"), organisation_id=record.organisation_id,
        enterprise_id=None, enterprise_name=_enterprise_name(record, payload),
        origin=RecallOrigin.foreign, status=RecallStatus.in_progress,
        title=record.title[:300], product_name=record.product_name[:300],
        category=(record.product_category or None) and record.product_category[:100],
        hs_code=record.hs_code, brand=record.brand, model=record.model,
        batch=record.batch_number, barcode=(record.barcode or None) and record.barcode[:64],
        country=FOREIGN_CHANNELS.get(str(record.source_channel.value), "US"),
        hazard=record.hazard_substance, remedies=remedies_from(record.measures_taken),
        plan=record.measures_taken, units_affected=units_from(record.quantity),
        units_remedied=0, started_on=record.occurred_on, next_report_due=None, public=True,
        record_id=record.id,
        source_url=(url or CPSC_SEARCH.format(number=record.external_reference or ""))[:500],
        created_by="import",
    )


def import_foreign_recalls(db: Session, actor: Actor, record_ids: Sequence[int]) -> list[Recall]:
    """A foreign recall for each of these records from a foreign recall feed that has none yet;
    one audit entry per call, naming them all."""
    ids = list(dict.fromkeys(record_ids))
    if not ids:
        return []
    known = set(db.execute(select(Recall.record_id).where(Recall.record_id.in_(ids))).scalars())
    records = db.execute(select(RiskRecord).where(
        RiskRecord.id.in_([i for i in ids if i not in known]),
        RiskRecord.source_channel.in_(list(FOREIGN_CHANNELS))).order_by(RiskRecord.id)
    ).scalars().all()
    created = [recall_from_record(db, record) for record in records]
    if not created:
        return []
    db.add_all(created)
    db.flush()
    audit.record(db, actor, "recall.import_foreign", object_type=OBJECT_TYPE,
                 object_id=created[0].id,
                 after={"recalls": [r.number for r in created],
                        "record_ids": [r.record_id for r in created]},
                 organisation_id=created[0].organisation_id)
    return created


def on_records_stored(db: Session, event: RecordsStored) -> None:
    """Follows `record.stored`: foreign recalls for the new records of a foreign feed."""
    ids = [item.record_id for item in event.records if item.source_channel in FOREIGN_CHANNELS]
    if ids:
        import_foreign_recalls(db, Actor.system("intake"), ids)
