"""Authority routing (报送签发, W3): a submitted warning waits at the first organisation up the
drafter's chain whose level may issue it; its approvers are told and see it in their queue, the
drafting organisation's approver without the authority is refused and not offered the button;
no approver up the chain is a refusal naming the role and the organisation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from riskgate.core.permissions import Role
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.outbox.models import OutboxEvent
from riskgate.warnings.enums import WarningStatus
from riskgate.warnings.lifecycle import routing, service
from riskgate.warnings.lifecycle.authority import NoIssuingAuthority, approval_queue_condition
from tests.factories import make_org, make_user, sign_in
from tests.warnings.helpers import build_world, warning_input


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def _inbox_targets(db, warning_id: int) -> set[int]:  # type: ignore[no-untyped-def]
    rows = db.execute(select(OutboxEvent.target).where(
        OutboxEvent.channel == "inbox",
        OutboxEvent.dedupe_key.like(f"warning-review:{warning_id}:%"))).scalars()
    return {int(t) for t in rows}


def _queue_ids(world, user) -> set[int]:  # type: ignore[no-untyped-def]
    actor = world.actor(user)
    stmt = service.warnings_statement(actor).where(approval_queue_condition(world.db, actor))
    return {w.id for w in world.db.execute(stmt).scalars()}


def test_level_one_from_a_province_is_routed_to_the_national_head_office(world):  # type: ignore[no-untyped-def]
    draft = service.create_warning(world.db, world.actor(world.prov_officer),
                                   warning_input(world, level="I"))
    service.submit_for_review(world.db, world.actor(world.prov_officer), draft.id)
    assert draft.routed_organisation_id == world.national.id
    assert routing.waiting_at(world.db, draft).id == world.national.id
    # The national approvers are told (inbox), not the provincial one.
    told = _inbox_targets(world.db, draft.id)
    assert {world.approver.id, world.approver2.id} <= told
    assert world.prov_approver.id not in told
    # The queue: the national approvers', not the provincial approver's.
    assert draft.id in _queue_ids(world, world.approver)
    assert draft.id not in _queue_ids(world, world.prov_approver)
    # The provincial approver may not approve (labels, not codes, in the refusal).
    with pytest.raises(NoIssuingAuthority) as refused:
        service.approve(world.db, world.actor(world.prov_approver), draft.id)
    assert "Provincial" in refused.value.translated("en")
    assert "National" in refused.value.translated("en")
    assert "省级" in refused.value.translated("zh-CN") and "provincial" not in \
        refused.value.translated("zh-CN")
    service.approve(world.db, world.actor(world.approver), draft.id)
    service.publish(world.db, world.actor(world.approver), draft.id)
    assert draft.status == WarningStatus.published


def test_level_three_stays_where_it_was_drafted(world):  # type: ignore[no-untyped-def]
    draft = service.create_warning(world.db, world.actor(world.prov_officer),
                                   warning_input(world, level="III"))
    service.submit_for_review(world.db, world.actor(world.prov_officer), draft.id)
    assert draft.routed_organisation_id == world.provincial.id
    assert draft.id in _queue_ids(world, world.prov_approver)
    assert draft.id not in _queue_ids(world, world.approver)


def test_a_market_regulator_draft_goes_up_its_own_agency(db, settings):  # type: ignore[no-untyped-def]
    samr = make_org(db, org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.NATIONAL,
                    name_zh="国家市场监督管理总局R")
    sh_amr = make_org(db, parent=samr, org_type=OrgType.MARKET_REGULATOR,
                      level=OrgLevel.PROVINCIAL, name_zh="上海市市场监督管理局R")
    officer = make_user(db, settings, sh_amr, Role.RISK_OFFICER, language="en")
    national_approver = make_user(db, settings, samr, Role.APPROVER, language="en")
    world = build_world(db, settings)  # a customs chain beside it, with its own approvers
    actor = world.actor(officer)
    draft = service.create_warning(db, actor, warning_input(level="I"))
    service.submit_for_review(db, actor, draft.id)
    assert draft.routed_organisation_id == samr.id
    assert _inbox_targets(db, draft.id) == {national_approver.id}


def test_no_national_approver_is_refused_naming_role_and_organisation(db, settings):  # type: ignore[no-untyped-def]
    head = make_org(db, org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.NATIONAL,
                    name_zh="无审批人总局")
    province = make_org(db, parent=head, org_type=OrgType.MARKET_REGULATOR,
                        level=OrgLevel.PROVINCIAL, name_zh="某省市场监管局")
    officer = make_user(db, settings, province, Role.RISK_OFFICER, language="en")
    make_user(db, settings, province, Role.APPROVER)
    actor = build_world(db, settings).actor(officer)
    draft = service.create_warning(db, actor, warning_input(level="I"))
    with pytest.raises(routing.NoIssuingApprover) as refused:
        service.submit_for_review(db, actor, draft.id)
    text = refused.value.translated("zh-CN")
    assert "无审批人总局" in text and "审批" in text
    assert "Approver" in refused.value.translated("en")
    assert draft.status == WarningStatus.draft


def test_the_drafters_page_says_where_it_waits(client, db, world):  # type: ignore[no-untyped-def]
    officer = world.actor(world.prov_officer)
    draft = service.create_warning(db, officer, warning_input(world, level="I"))
    service.submit_for_review(db, officer, draft.id)
    db.commit()
    sign_in(client, world.prov_officer.username)
    page = client.get(f"/console/warnings/{draft.id}?lang=zh-CN")
    assert f"须报{world.national.name_zh}签发" in page.text
    assert 'id="approve-form"' not in page.text
