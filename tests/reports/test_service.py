"""Filing, tracking, handling and rewarding reports through the real services."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.catalog.enums import SourceChannel
from riskgate.core.context import Actor
from riskgate.core.errors import InvalidTransition, NotFound, ValidationFailed
from riskgate.core.uploads import Upload
from riskgate.identity.auth_service import actor_for
from riskgate.outbox.models import OutboxEvent
from riskgate.records.models import RiskRecord
from riskgate.reports import attachments, enterprise, service
from riskgate.reports.attachments import AttachmentRefused, AttachmentTooLarge
from riskgate.reports.enums import ReportKind, ReportStatus, RewardStatus
from riskgate.reports.models import WhistleblowerIdentity
from riskgate.reports.schemas import (
    ComplaintIn,
    EnterpriseReportIn,
    NoteIn,
    RewardIn,
    TransitionIn,
    WhistleblowerIn,
)
from tests.reports.conftest import EXE, complaint_body, png_bytes

PUBLIC = Actor.anonymous("zh-CN")


def _file(db, settings, **changes):  # type: ignore[no-untyped-def]
    submitted = service.submit_complaint(
        db,
        PUBLIC,
        settings,
        ComplaintIn.model_validate(complaint_body(**changes)),
        language="zh-CN",
        uploads=[Upload("现场照片.png", png_bytes())],
    )
    db.commit()
    return submitted


def test_a_complaint_becomes_a_record_of_the_local_market_regulator(db, settings, places):
    submitted = _file(db, settings)
    report = submitted.report
    record = db.get(RiskRecord, report.record_id)
    assert report.organisation_id == places["pudong_amr"].id == record.organisation_id
    assert record.source_channel == SourceChannel.hotline_12315
    assert record.external_reference == report.tracking_number
    assert record.language == "zh-CN" and "电池起火" in record.description
    assert record.origin_country == "DE" and record.trade_direction.value == "import"
    assert record.injuries_count == 1 and record.injury_age_group == "4-14"
    assert [e.role.value for e in record.enterprises] == ["retailer"]
    # The complainant's contact stays on the complaint, never in the record or its raw payload.
    assert "wang@example.cn" not in (record.raw_payload or "")
    assert "王女士" not in (record.raw_payload or "") + record.description
    assert report.contact_email == "wang@example.cn" and not report.anonymous
    (stored,) = attachments.attachments_of(db, record.id)
    assert stored.media_type == "image/png" and stored.original_name == "现场照片.png"
    assert attachments.path_for(settings.attachments_dir, stored.sha256).read_bytes() == png_bytes()
    # A confirmation e-mail is queued (without the access code).
    events = (
        db.execute(select(OutboxEvent).where(OutboxEvent.target == "wang@example.cn"))
        .scalars()
        .all()
    )
    assert len(events) == 1 and submitted.access_code not in str(events[0].payload)


def test_border_complaints_go_to_customs_on_12360(db, settings, places):
    submitted = _file(db, settings, route="border", region_code="440100")
    record = db.get(RiskRecord, submitted.report.record_id)
    assert record.source_channel == SourceChannel.hotline_12360
    assert submitted.report.organisation_id == places["gz_customs"].id


def test_without_a_region_the_national_body_receives_it(db, settings, places):
    submitted = _file(db, settings, region_code=None)
    assert submitted.report.organisation_id == places["samr"].id
    settings.reports_receiving_org = "AMR310000"
    assert _file(db, settings, region_code=None).report.organisation_id == places["sh_amr"].id


def test_same_content_twice_makes_two_complaints(db, settings, places):
    first, second = _file(db, settings), _file(db, settings)
    assert first.report.record_id != second.report.record_id
    # The same photo is stored once on disk.
    a, b = (attachments.attachments_of(db, s.report.record_id)[0] for s in (first, second))
    assert a.sha256 == b.sha256


def test_tracking_needs_the_right_number_and_code(db, settings, places):
    submitted = _file(db, settings)
    number = submitted.report.tracking_number
    assert service.track(db, number.lower(), submitted.access_code).id == submitted.report.id
    for wrong_number, wrong_code in (
        (number, "AAAAA-AAAAA"),
        ("TS-2026-AAAA-AAAA", submitted.access_code),
        ("garbage", None),
        (number, None),
    ):
        with pytest.raises(NotFound):
            service.track(db, wrong_number, wrong_code)
    with pytest.raises(NotFound):  # a complaint is not found among whistleblower reports
        service.track(db, number, submitted.access_code, ReportKind.whistleblower)


def test_status_changes_follow_the_table_are_audited_and_tell_the_complainant(db, settings, places):
    submitted = _file(db, settings)
    officer = actor_for(places["pudong_officer"], "zh-CN")
    report_id = submitted.report.id
    service.transition(
        db,
        officer,
        ReportKind.complaint,
        report_id,
        TransitionIn(status=ReportStatus.accepted, public_note="已受理，正在调查。"),
    )
    with pytest.raises(InvalidTransition):
        service.transition(
            db, officer, ReportKind.complaint, report_id, TransitionIn(status=ReportStatus.received)
        )
    report = service.transition(
        db,
        officer,
        ReportKind.complaint,
        report_id,
        TransitionIn(status=ReportStatus.closed, public_note="经营者已召回该批次产品。"),
    )
    service.add_note(
        db,
        officer,
        ReportKind.complaint,
        report_id,
        NoteIn(body="内部：已通知上海海关", public=False),
    )
    db.commit()
    assert report.status == ReportStatus.closed and report.closed_at is not None
    view = service.public_view(db, report, "zh-CN")
    assert [n["body"] for n in view["notes"]] == ["已受理，正在调查。", "经营者已召回该批次产品。"]
    assert view["status_label"] == "已办结"
    actions = (
        db.execute(select(AuditEntry.action).where(AuditEntry.object_type == "public_report"))
        .scalars()
        .all()
    )
    assert actions.count("report.status_changed") == 2 and "report.submitted" in actions
    emails = (
        db.execute(select(OutboxEvent).where(OutboxEvent.target == "wang@example.cn"))
        .scalars()
        .all()
    )
    assert len(emails) == 3  # received, accepted, closed


def test_rejection_needs_a_reason(db, settings, places):
    submitted = _file(db, settings)
    officer = actor_for(places["pudong_officer"], "zh-CN")
    with pytest.raises(ValidationFailed):
        service.transition(
            db,
            officer,
            ReportKind.complaint,
            submitted.report.id,
            TransitionIn(status=ReportStatus.rejected),
        )
    report = service.transition(
        db,
        officer,
        ReportKind.complaint,
        submitted.report.id,
        TransitionIn(status=ReportStatus.rejected, reason="不属于本部门职责"),
    )
    assert service.public_view(db, report, "en")["reason"] == "不属于本部门职责"


def test_officers_see_only_reports_in_their_scope(db, settings, places):
    submitted = _file(db, settings)
    for name, visible in (
        ("pudong_officer", True),
        ("amr_officer", True),
        ("supervisor", True),
        ("customs_officer", False),
    ):
        actor = actor_for(places[name], "zh-CN")
        found = db.execute(service.reports_statement(actor, ReportKind.complaint)).scalars().all()
        assert (submitted.report in found) is visible, name
        if not visible:
            with pytest.raises(NotFound):
                service.get_report(db, actor, ReportKind.complaint, submitted.report.id)


def _whistleblow(db, settings, **changes):  # type: ignore[no-untyped-def]
    body = {
        "route": "market",
        "product_name": "婴儿奶粉",
        "enterprise_name": "某某贸易有限公司",
        "region_code": "310115",
        "description": "该公司将过期进口奶粉重新贴标销售。",
        "anonymous": False,
        "identity": {
            "name": "李举报",
            "phone": "13800000000",
            "email": "li@example.cn",
            "id_number": "11010519491231002X",
        },
    }
    body.update(changes)
    submitted = service.submit_whistleblower_report(
        db, PUBLIC, settings, WhistleblowerIn.model_validate(body), language="zh-CN"
    )
    db.commit()
    return submitted


def test_a_whistleblowers_identity_is_kept_apart_and_revealed_only_with_an_audit(
    db, settings, places
):
    submitted = _whistleblow(db, settings)
    report = submitted.report
    record = db.get(RiskRecord, report.record_id)
    assert record.source_channel == SourceChannel.whistleblower
    assert record.confidentiality.value == "restricted"
    for secret in ("李举报", "13800000000", "li@example.cn", "11010519491231002X"):
        assert secret not in (record.raw_payload or "") + record.title + record.description
    assert report.contact_email is None and not report.anonymous
    view = service.detail_view(db, report)
    assert view["identity"] == "withheld" and view["contact_name"] is None
    supervisor = actor_for(places["supervisor"], "zh-CN")
    identity = service.reveal_identity(db, supervisor, report.id, "核实举报人身份以发放奖励")
    assert identity is not None and identity.name == "李举报"
    entry = db.execute(
        select(AuditEntry).where(AuditEntry.action == "whistleblower.identity_revealed")
    ).scalar_one()
    assert entry.reason == "核实举报人身份以发放奖励" and "李举报" not in str(entry.after)
    # No e-mail to a whistleblower: the address would show in the outbox.
    assert not db.execute(select(OutboxEvent).where(OutboxEvent.target == "li@example.cn")).all()


def test_anonymous_whistleblower_reports_have_no_identity(db, settings, places):
    submitted = _whistleblow(db, settings, anonymous=True)
    assert submitted.report.anonymous
    assert db.get(WhistleblowerIdentity, submitted.report.id) is None
    assert service.detail_view(db, submitted.report)["identity"] is None


def test_a_named_whistleblower_must_be_reachable_and_id_numbers_are_checked(db, settings, places):
    with pytest.raises(ValidationFailed) as caught:
        _whistleblow(db, settings, identity=None)
    assert caught.value.fields[0].loc == "identity"
    with pytest.raises(ValidationFailed) as caught:
        _whistleblow(
            db,
            settings,
            identity={"name": "李", "phone": "13800000000", "id_number": "110105194912310021"},
        )
    assert caught.value.fields[0].loc == "identity.id_number"


def test_rewards_go_proposed_approved_paid_with_audit(db, settings, places):
    submitted = _whistleblow(db, settings)
    supervisor = actor_for(places["supervisor"], "zh-CN")
    officer = actor_for(places["pudong_officer"], "zh-CN")
    with pytest.raises(ValidationFailed):  # not accepted yet
        service.set_reward(
            db, supervisor, submitted.report.id, RewardIn(status=RewardStatus.proposed, amount=5000)
        )
    service.transition(
        db,
        officer,
        ReportKind.whistleblower,
        submitted.report.id,
        TransitionIn(status=ReportStatus.accepted),
    )
    with pytest.raises(InvalidTransition):
        service.set_reward(db, supervisor, submitted.report.id, RewardIn(status=RewardStatus.paid))
    for status in (RewardStatus.proposed, RewardStatus.approved, RewardStatus.paid):
        report = service.set_reward(
            db, supervisor, submitted.report.id, RewardIn(status=status, amount=5000)
        )
    db.commit()
    assert report.reward_status == RewardStatus.paid and report.reward_amount == 5000
    assert report.reward_eligible is True
    changes = (
        db.execute(select(AuditEntry).where(AuditEntry.action == "whistleblower.reward_changed"))
        .scalars()
        .all()
    )
    assert [c.after["reward_status"] for c in changes] == ["proposed", "approved", "paid"]


def test_attachments_are_refused_by_content(db, settings, places):
    with pytest.raises(AttachmentRefused) as caught:
        service.submit_complaint(
            db,
            PUBLIC,
            settings,
            ComplaintIn.model_validate(complaint_body()),
            language="zh-CN",
            uploads=[Upload("photo.jpg", EXE)],
        )
    assert caught.value.fields[0].params["name"] == "photo.jpg"
    settings.attachment_max_bytes = 1024
    with pytest.raises(AttachmentTooLarge):
        service.submit_complaint(
            db,
            PUBLIC,
            settings,
            ComplaintIn.model_validate(complaint_body()),
            language="zh-CN",
            uploads=[Upload("big.png", png_bytes() + os.urandom(2048))],
        )
    db.rollback()
    assert db.execute(select(RiskRecord)).first() is None


def test_an_enterprise_files_an_accident_report_for_its_regulator(db, settings, places):
    actor = actor_for(places["enterprise"], "zh-CN")
    body = EnterpriseReportIn.model_validate(
        {
            "kind": "accident",
            "route": "market",
            "product_name": "毛绒玩具",
            "description": "一名儿童误吞玩具眼睛配件，已送医。",
            "injuries_count": 1,
            "injury_severity": "serious",
            "injury_age_group": "0-3",
            "measures_taken": "暂停销售该批次",
        }
    )
    report = enterprise.file_report(db, actor, settings, body, language="zh-CN")
    db.commit()
    record = db.get(RiskRecord, report.record_id)
    assert record.source_channel == SourceChannel.enterprise_accident_report
    assert report.organisation_id == record.organisation_id == places["pudong_amr"].id
    assert record.enterprises[0].uscc == places["toys"].uscc
    own = db.execute(enterprise.own_reports_statement(actor)).scalars().all()
    assert own == [report]
    other = actor_for(places["food_user"], "zh-CN")
    assert db.execute(enterprise.own_reports_statement(other)).scalars().all() == []
    with pytest.raises(NotFound):
        enterprise.get_own_report(db, other, report.id)
    regulator = actor_for(places["amr_officer"], "zh-CN")
    assert enterprise.get_received_report(db, regulator, report.id) == report


def test_a_self_inspection_needs_its_result_and_staff_cannot_file_one(db, settings, places):
    actor = actor_for(places["enterprise"], "zh-CN")
    body = {"kind": "self_inspection", "product_name": "塑料玩具", "description": "季度自检报告"}
    with pytest.raises(ValidationFailed) as caught:
        enterprise.file_report(
            db, actor, settings, EnterpriseReportIn.model_validate(body), language="zh-CN"
        )
    assert caught.value.fields[0].loc == "result"
    body.update(result="fail", test_items="邻苯二甲酸酯", route="border")
    report = enterprise.file_report(
        db, actor, settings, EnterpriseReportIn.model_validate(body), language="zh-CN"
    )
    record = db.get(RiskRecord, report.record_id)
    assert record.source_channel == SourceChannel.enterprise_self_inspection
    assert "不合格" in record.title and record.hazard_substance == "邻苯二甲酸酯"
    assert report.organisation_id == places["sh_customs"].id
    with pytest.raises(ValidationFailed):
        enterprise.file_report(
            db,
            actor_for(places["amr_officer"], "zh-CN"),
            settings,
            EnterpriseReportIn.model_validate(body),
            language="zh-CN",
        )
