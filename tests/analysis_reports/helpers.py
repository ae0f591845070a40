"""Data for the report tests, built through the real services."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.records.service import push_records
from tests.factories import make_org, make_user


@dataclass
class Setting:
    root: Any
    a: Any
    b: Any
    officer_a: Any
    officer_b: Any
    supervisor_root: Any


def organisations(db, settings) -> Setting:  # type: ignore[no-untyped-def]
    root = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL,
                    name_zh="海关总署（测试）", name_en="GACC (test)")
    a = make_org(db, parent=root, name_zh="甲海关", name_en="Customs A")
    b = make_org(db, parent=root, name_zh="乙海关", name_en="Customs B")
    officer_a = make_user(db, settings, a, Role.RISK_OFFICER, username="officer_a")
    officer_b = make_user(db, settings, b, Role.RISK_OFFICER, username="officer_b")
    supervisor = make_user(db, settings, root, Role.SUPERVISOR, username="supervisor_root")
    db.commit()
    return Setting(root, a, b, officer_a, officer_b, supervisor)


def push(db, user, **fields: Any) -> int:  # type: ignore[no-untyped-def]
    body = {"source_channel": "hotline_12315", "title": "儿童玩具小零件脱落",
            "product_name": "儿童玩具", **fields}
    (stored,) = push_records(db, actor_for(user, "zh-CN"), [body])
    db.commit()
    return stored.record_id


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    return fonts
