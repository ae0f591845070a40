"""Demo data of the evaluation stage: the demo enterprise petitions (with a laboratory report)
against the first control rule derived from a warning that lists it, or else the first warning
in force that names it. Runs after the border's demo (the rules it petitions against)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.settings import Settings
from riskgate.core.uploads import Upload
from riskgate.evaluation.petitions import service as petitions
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import Organisation, User

DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
            b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def load_evaluation_demo(session: Session, settings: Settings) -> dict[str, int]:
    """One submitted lifting petition; none when the demo enterprise or anything to petition
    against is missing."""
    db = session
    user = db.execute(select(User).where(User.username == "enterprise")).scalar_one_or_none()
    if user is None:
        return {"petitions": 0}
    enterprise = actor_for(user, "zh-CN")
    if db.get(Organisation, enterprise.organisation_id) is None:
        return {"petitions": 0}
    warnings, derived = petitions.petitionable(db, enterprise)
    if not warnings and not derived:
        return {"petitions": 0}
    petitions.submit(
        db, enterprise, warning_id=None if derived else warnings[0].id,
        control_rule_id=derived[0].id if derived else None,
        body="我司已对涉事批次全部召回，第三方检测机构对后续5批次产品检测均合格，申请解除布控。",
        clean_consignments=5, uploads=[Upload("第三方检测报告.pdf", DEMO_PDF)],
        root=settings.attachments_dir, max_bytes=settings.attachment_max_bytes,
        max_files=settings.attachment_max_files)
    return {"petitions": 1}
