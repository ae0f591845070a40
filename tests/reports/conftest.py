"""Fixtures of the report tests: attachments under the test's folder, a small organisation
world (a market regulator and a customs tree with region codes), images and a disguised program.
"""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from riskgate.core.permissions import Role
from riskgate.core.settings import Settings
from riskgate.identity.enums import OrgLevel, OrgType
from tests.factories import make_org, make_user, settings_for


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, attachments_dir=tmp_path / "attachments")


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def complaint_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "route": "market",
        "product_name": "儿童电动滑板车",
        "brand": "飞跃",
        "model": "FY-200",
        "batch_number": "20260315",
        "purchase_place": "某电商平台飞跃旗舰店",
        "region_code": "310115",
        "occurred_on": "2026-03-20",
        "origin_country": "DE",
        "description": "充电时电池起火，孩子的手被烫伤。",
        "injuries_count": 1,
        "injury_severity": "minor",
        "injury_age_group": "4-14",
        "contact_name": "王女士",
        "contact_email": "wang@example.cn",
    }
    body.update(changes)
    return body


@pytest.fixture
def places(db, settings):  # type: ignore[no-untyped-def]
    """SAMR → Shanghai AMR → Pudong AMR; GACC → Shanghai Customs; officers in each; a
    supervisor at GACC and one at SAMR; an enterprise in Pudong with its user."""
    from riskgate.identity.demo import make_uscc

    samr = make_org(db, org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.NATIONAL,
                    name_zh="国家市场监督管理总局", code="SAMR", region_code="110000")
    sh_amr = make_org(db, parent=samr, org_type=OrgType.MARKET_REGULATOR,
                      name_zh="上海市市场监督管理局", code="AMR310000", region_code="310000")
    pudong_amr = make_org(db, parent=sh_amr, org_type=OrgType.MARKET_REGULATOR,
                          level=OrgLevel.COUNTY, name_zh="浦东新区市场监督管理局",
                          code="AMR310115", region_code="310115")
    gacc = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL,
                    name_zh="海关总署", code="GACC", region_code="110000")
    sh_customs = make_org(db, parent=gacc, name_zh="上海海关", code="CUS2200",
                          region_code="310000")
    gz_customs = make_org(db, parent=gacc, name_zh="广州海关", code="CUS5100",
                          region_code="440100")
    uscc = make_uscc("310115", "31748252")
    toys = make_org(db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE,
                    name_zh="上海星童玩具进出口有限公司", code=uscc, uscc=uscc,
                    region_code="310115")
    other_uscc = make_uscc("440115", "44917302")
    food = make_org(db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE,
                    name_zh="广州南海岸食品贸易有限公司", code=other_uscc, uscc=other_uscc,
                    region_code="440115")
    users = {
        "amr_officer": make_user(db, settings, sh_amr, Role.RISK_OFFICER, username="amrofficer"),
        "pudong_officer": make_user(db, settings, pudong_amr, Role.RISK_OFFICER,
                                    username="pdofficer"),
        "customs_officer": make_user(db, settings, sh_customs, Role.RISK_OFFICER,
                                     username="officer"),
        "gz_officer": make_user(db, settings, gz_customs, Role.RISK_OFFICER,
                                username="gzofficer"),
        "supervisor": make_user(db, settings, samr, Role.SUPERVISOR, username="supervisor"),
        "amr_approver": make_user(db, settings, sh_amr, Role.APPROVER, username="approver"),
        "enterprise": make_user(db, settings, toys, Role.ENTERPRISE_USER, username="enterprise"),
        "food_user": make_user(db, settings, food, Role.ENTERPRISE_USER, username="fooduser"),
    }
    db.commit()
    return {"samr": samr, "sh_amr": sh_amr, "pudong_amr": pudong_amr, "gacc": gacc,
            "sh_customs": sh_customs, "gz_customs": gz_customs, "toys": toys, "food": food,
            **users}
