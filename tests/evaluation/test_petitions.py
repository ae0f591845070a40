"""Lifting petitions: evidence required, only the enterprise concerned, decided once, accepting
one against a control rule takes the enterprise's code out of the rule."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from riskgate.border.enums import RuleStatus
from riskgate.border.models import ControlRule
from riskgate.core.errors import Conflict, NotFound, ValidationFailed
from riskgate.core.uploads import Upload
from riskgate.evaluation.enums import PetitionStatus
from riskgate.evaluation.petitions import service as petitions
from riskgate.outbox.models import OutboxEvent
from tests.border.rules_world import make_rule
from tests.warnings.helpers import build_world, make_published_warning

PDF = Upload("report.pdf", b"%PDF-1.4 lab report\n%%EOF")


def _file(world, warning_id=None, rule_id=None, uploads=(PDF,), user=None):  # type: ignore[no-untyped-def]
    return petitions.submit(
        world.db, world.actor(user or world.ent_user), warning_id=warning_id,
        control_rule_id=rule_id, body="第三方检测合格，连续5批无不合格。", clean_consignments=5,
        uploads=list(uploads), root=world.settings.attachments_dir, max_bytes=1_000_000,
        max_files=5)


def _rule_of(db, warning_id):  # type: ignore[no-untyped-def]
    return db.execute(select(ControlRule).where(ControlRule.warning_id == warning_id)
                      ).scalar_one()


def test_evidence_required_and_checked(db, settings, tmp_path):
    settings.attachments_dir = tmp_path
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    with pytest.raises(ValidationFailed) as caught:
        _file(world, warning.id, uploads=())
    assert caught.value.fields[0].loc == "evidence"
    with pytest.raises(ValidationFailed) as caught:
        _file(world, warning.id, uploads=(Upload("x.exe", b"MZ\x90\x00"),))
    assert caught.value.fields[0].loc == "evidence.0"


def test_wrong_enterprise_is_not_found(db, settings, tmp_path):
    settings.attachments_dir = tmp_path
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    rule = _rule_of(db, warning.id)
    with pytest.raises(NotFound):
        _file(world, warning.id, user=world.ent2_user)
    with pytest.raises(NotFound):
        _file(world, rule_id=rule.id, user=world.ent2_user)
    hand = make_rule(world, enterprise_codes=[world.enterprise.uscc])
    with pytest.raises(ValidationFailed):
        _file(world, rule_id=hand.id)


def test_accept_removes_code_and_retires_when_only_scope(db, settings, tmp_path):
    settings.attachments_dir = tmp_path
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    rule = _rule_of(db, warning.id)
    petition = _file(world, rule_id=rule.id)
    assert petition.status == PetitionStatus.submitted and petition.warning_id == warning.id
    assert len(petitions.evidence_of(db, petition.id)) == 1
    mine = db.execute(petitions.petitions_statement(world.actor(world.ent_user))).scalars().all()
    assert [p.id for p in mine] == [petition.id]
    assert db.execute(petitions.petitions_statement(world.actor(world.ent2_user))
                      ).scalars().all() == []
    with pytest.raises(NotFound):  # outside the issuer's subtree
        petitions.decide(db, world.actor(world.other_officer), petition.id, accept=True,
                         note="同意")
    with pytest.raises(ValidationFailed):
        petitions.decide(db, world.actor(world.approver), petition.id, accept=True, note=" ")
    petitions.decide(db, world.actor(world.approver), petition.id, accept=True,
                     note="证据充分，同意解除")
    db.refresh(rule)
    assert world.enterprise.uscc not in rule.enterprise_codes
    assert rule.status == RuleStatus.active and rule.version == 2  # HS, countries remain
    with pytest.raises(Conflict):
        petitions.decide(db, world.actor(world.approver), petition.id, accept=False,
                         note="再议")
    events = db.execute(select(OutboxEvent).where(OutboxEvent.topic == "petition.decided")
                        ).scalars().all()
    assert {e.target for e in events if e.channel == "inbox"} == {str(world.ent_user.id)}


def test_reject_keeps_the_rule(db, settings, tmp_path):
    settings.attachments_dir = tmp_path
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    petition = _file(world, warning.id)
    petitions.decide(db, world.actor(world.approver), petition.id, accept=False,
                     note="证据不足")
    assert petition.status == PetitionStatus.rejected
    assert world.enterprise.uscc in _rule_of(db, warning.id).enterprise_codes


def test_accepted_code_stays_out_when_the_rule_is_re_derived(db, settings, tmp_path):
    from tests.warnings.helpers import adjust

    settings.attachments_dir = tmp_path
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    rule = _rule_of(db, warning.id)
    petition = _file(world, rule_id=rule.id)
    petitions.decide(db, world.actor(world.approver), petition.id, accept=True, note="同意")
    adjust(world, warning, level="II")
    db.refresh(rule)
    assert rule.sampling_rate == 0.5 and world.enterprise.uscc not in rule.enterprise_codes
