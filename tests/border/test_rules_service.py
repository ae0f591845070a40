"""Control rules by hand (validation, versions, transitions) and derived from warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.border.enums import ControlAction, RuleOrigin, RuleStatus
from riskgate.border.models import ControlRule
from riskgate.border.rules import service as rules
from riskgate.border.rules.schemas import ControlRuleUpdate
from riskgate.core.db import utcnow
from riskgate.core.errors import InvalidTransition, NotFound, ValidationFailed
from riskgate.warnings.lifecycle import service as warnings_service
from tests.border.rules_world import make_rule, rule_input
from tests.warnings.helpers import adjust, build_world, lift, make_published_warning


def _fields(error: ValidationFailed) -> list[str]:
    return [problem.loc for problem in error.fields]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"hs_prefixes": [], "countries": []}, "hs_prefixes"),
    ({"hs_prefixes": ["95A3"]}, "hs_prefixes.0"),
    ({"hs_prefixes": ["95030000001"]}, "hs_prefixes.0"),
    ({"hs_prefixes": ["9"]}, "hs_prefixes.0"),
    ({"hs_prefixes": ["7799"]}, "hs_prefixes.0"),
    ({"hs_prefixes": ["950399"]}, "hs_prefixes.0"),
    ({"hs_prefixes": ["9503", "9503"]}, "hs_prefixes.1"),
    ({"countries": ["XX"]}, "countries.0"),
    ({"countries": ["CN", "cn"]}, "countries.1"),
    ({"ports": ["atlantis_port"]}, "ports.0"),
    ({"sampling_rate": 0}, "sampling_rate"),
    ({"sampling_rate": 1.5}, "sampling_rate"),
    ({"keywords": ["玩具", "玩具"]}, "keywords.1"),
    ({"valid_from": "2026-05-01T00:00:00Z", "valid_until": "2026-04-01T00:00:00Z"},
     "valid_until"),
])
def test_bad_scope_is_refused(db, settings, overrides, field):
    world = build_world(db, settings)
    with pytest.raises(ValidationFailed) as caught:
        rules.create_rule(db, world.actor(world.officer), rule_input(**overrides))
    assert field in _fields(caught.value)


def test_create_numbers_and_audits(db, settings):
    world = build_world(db, settings)
    rule = make_rule(world, hs_prefixes=["9503", "39"], keywords=["星童"])
    other = make_rule(world)
    assert rule.number.startswith("BK-") and rule.number.endswith("-0001") or rule.number
    assert other.number != rule.number
    assert rule.status == RuleStatus.active and rule.version == 1
    assert rule.origin == RuleOrigin.manual and rule.organisation_id == world.national.id
    entry = db.execute(select(AuditEntry).where(AuditEntry.object_type == "control_rule",
                                                AuditEntry.object_id == str(rule.id))).scalar_one()
    assert entry.action == "control_rule.create"


def test_update_versions_and_transitions(db, settings):
    world = build_world(db, settings)
    officer = world.actor(world.officer)
    rule = make_rule(world)
    rules.update_rule(db, officer, rule.id, ControlRuleUpdate(
        countries=["VN"], action="documentary_check", reason="范围调整"))
    assert rule.version == 2 and rule.countries == ["VN"]
    assert rule.action == ControlAction.documentary_check
    entry = db.execute(select(AuditEntry).where(
        AuditEntry.action == "control_rule.update")).scalar_one()
    assert entry.before["countries"] == ["CN"] and entry.after["countries"] == ["VN"]
    assert entry.reason == "范围调整"
    rules.update_rule(db, officer, rule.id, ControlRuleUpdate(countries=["VN"]))
    assert rule.version == 2  # nothing changed
    with pytest.raises(ValidationFailed):
        rules.update_rule(db, officer, rule.id, ControlRuleUpdate(sampling_rate=2))
    with pytest.raises(InvalidTransition):
        rules.resume_rule(db, officer, rule.id, None)
    rules.suspend_rule(db, officer, rule.id, None)
    with pytest.raises(InvalidTransition):
        rules.suspend_rule(db, officer, rule.id, None)
    rules.retire_rule(db, officer, rule.id, "过期")
    assert rule.status == RuleStatus.retired and rule.retired_reason == "过期"
    with pytest.raises(InvalidTransition):
        rules.update_rule(db, officer, rule.id, ControlRuleUpdate(countries=["CN"]))
    with pytest.raises(InvalidTransition):
        rules.resume_rule(db, officer, rule.id, None)


def test_other_organisation_cannot_see_or_change(db, settings):
    world = build_world(db, settings)
    rule = make_rule(world)
    with pytest.raises(NotFound):
        rules.suspend_rule(db, world.actor(world.other_officer), rule.id, None)
    with pytest.raises(NotFound):
        rules.get_rule(db, world.actor(world.other_officer), rule.id)
    # a subordinate customs does not change the head office's rule
    with pytest.raises(NotFound):
        rules.suspend_rule(db, world.actor(world.prov_officer), rule.id, None)


def _derived(db, warning_id: int) -> list[ControlRule]:
    return list(db.execute(select(ControlRule).where(ControlRule.warning_id == warning_id)
                           .order_by(ControlRule.id)).scalars())


def test_level_one_warning_derives_a_rule(db, settings):
    world = build_world(db, settings)
    until = (utcnow() + dt.timedelta(days=30)).date()
    warning = make_published_warning(
        world, level="I", ports=["shanghai_yangshan"], effective_until=until.isoformat())
    [rule] = _derived(db, warning.id)
    assert rule.origin == RuleOrigin.warning and rule.organisation_id == warning.organisation_id
    assert rule.hs_prefixes == ["950300"]
    assert rule.countries == ["CN", "VN"]
    assert rule.enterprise_codes == [world.enterprise.uscc]
    assert rule.keywords == [] and rule.barcodes == []  # the HS code identifies the goods
    assert rule.ports == ["shanghai_yangshan"]
    assert rule.action == ControlAction.physical_inspection and rule.sampling_rate == 1.0
    assert rule.valid_from == warning.published_at
    assert rule.valid_until == dt.datetime.combine(until + dt.timedelta(days=1), dt.time(),
                                                   tzinfo=dt.UTC)


def test_without_hs_code_brand_model_and_barcode_identify_the_goods(db, settings):
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I", products=[{
        "name": "塑料洋娃娃", "brand": "星童", "model": "XT-01", "barcode": "6901234567892"}])
    [rule] = _derived(db, warning.id)
    assert rule.hs_prefixes == []
    assert rule.brands == ["星童"] and rule.models == ["XT-01"]
    assert rule.keywords == [] and rule.barcodes == ["6901234567892"]


def test_level_three_announcement_without_border_measure_derives_none(db, settings):
    world = build_world(db, settings)
    warning = make_published_warning(world)  # III, announcement, market measures
    assert _derived(db, warning.id) == []


def test_port_control_without_anything_to_match_derives_none(db, settings):
    world = build_world(db, settings)
    warning = make_published_warning(world, measures=["port_control"], origin_countries=[],
                                     products=[{"name": "玩具", "brand": "星童"}],
                                     enterprises=[])
    assert _derived(db, warning.id) == []


def test_adjustment_updates_and_lifting_retires(db, settings):
    world = build_world(db, settings)
    warning = make_published_warning(world, level="II",
                                     measures=["suspend_sales", "port_control"])
    [rule] = _derived(db, warning.id)
    assert rule.sampling_rate == 0.5 and rule.version == 1
    adjust(world, warning, level="IV", origin_countries=["VN"])
    db.refresh(rule)
    assert rule.version == 2 and rule.countries == ["VN"]
    assert rule.action == ControlAction.documentary_check and rule.sampling_rate == 0.2
    assert db.execute(select(AuditEntry).where(
        AuditEntry.action == "control_rule.rederive")).scalar_one().reason == "扩大范围"
    lift(world, warning)
    db.refresh(rule)
    assert rule.status == RuleStatus.retired and "风险已消除" in rule.retired_reason
    assert _derived(db, warning.id) == [rule]


def test_adjustment_out_of_border_action_retires(db, settings):
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    [rule] = _derived(db, warning.id)
    adjust(world, warning, level="III")
    db.refresh(rule)
    assert rule.status == RuleStatus.retired


def test_withdrawal_retires(db, settings):
    world = build_world(db, settings)
    warning = make_published_warning(world, measures=["port_control"])
    [rule] = _derived(db, warning.id)
    assert rule.action == ControlAction.documentary_check  # level III
    warnings_service.withdraw(db, world.actor(world.approver), warning.id, reason="发布有误")
    db.refresh(rule)
    assert rule.status == RuleStatus.retired
