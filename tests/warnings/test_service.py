"""The warning life cycle (W1–W3): drafting with checked codes, the comment window, review,
issuing authority and four eyes, publication, follow-ups, visibility by type."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.core.context import Actor
from riskgate.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from riskgate.warnings.calendar import add_working_days
from riskgate.warnings.enums import FollowUpKind, WarningStatus
from riskgate.warnings.lifecycle import authority, service
from riskgate.warnings.lifecycle.authority import NoIssuingAuthority
from riskgate.warnings.lifecycle.schemas import WarningIn
from riskgate.warnings.models import PublicWarning, WarningFacet
from tests.warnings.helpers import (
    adjust,
    build_world,
    lift,
    make_draft,
    make_published_warning,
    warning_input,
)


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def _fields(error: ValidationFailed) -> set[str]:
    return {problem.loc for problem in error.fields}


def test_numbers_are_per_organisation_and_year(world):
    first = make_draft(world)
    second = make_draft(world)
    year = dt.date.today().year
    assert first.number == f"RW-{year}-0001" and second.number == f"RW-{year}-0002"
    other = service.create_warning(world.db, world.actor(world.prov_officer),
                                   warning_input(world))
    assert other.number == f"RW-{year}-0001"


def test_unknown_codes_and_enterprises_are_field_errors(world):
    data = warning_input(world, origin_countries=["ZZ"], regions=["999999"], ports=["NOPORT"],
                         products=[{"name": "x", "hs_code": "0000"}],
                         enterprises=[{"organisation_id": world.national.id}],
                         evidence=[{"kind": "record", "object_id": 123456}])
    with pytest.raises(ValidationFailed) as caught:
        service.create_warning(world.db, world.actor(world.officer), data)
    assert _fields(caught.value) == {"origin_countries.0", "regions.0", "ports.0",
                                     "products.0.hs_code", "enterprises.0.organisation_id",
                                     "evidence.0.object_id"}


def test_enterprise_may_not_draft(world):
    with pytest.raises(PermissionDenied):
        service.create_warning(world.db, world.actor(world.ent_user), warning_input(world))


def test_submission_needs_the_publication_fields(world):
    warning = make_draft(world, summary=None, consumer_instructions="", products=[])
    with pytest.raises(ValidationFailed) as caught:
        service.submit_for_review(world.db, world.actor(world.officer), warning.id)
    assert {"summary", "consumer_instructions", "products"} <= _fields(caught.value)
    assert warning.status == WarningStatus.draft


def test_drafter_may_not_approve_and_second_approval_conflicts(world):
    warning = make_draft(world)
    service.submit_for_review(world.db, world.actor(world.approver), warning.id)
    # The officer drafted it; an approver who drafted would be refused too:
    own = service.create_warning(world.db, world.actor(world.approver), warning_input(world))
    service.submit_for_review(world.db, world.actor(world.approver), own.id)
    with pytest.raises(PermissionDenied):
        service.approve(world.db, world.actor(world.approver), own.id)
    service.approve(world.db, world.actor(world.approver), warning.id)
    with pytest.raises(InvalidTransition):
        service.approve(world.db, world.actor(world.approver2), warning.id)


@pytest.mark.parametrize(("level", "approver", "allowed"), [
    ("I", "prov_approver", False), ("I", "approver", True),
    ("II", "prov_approver", True), ("II", "city_approver", False),
    ("III", "city_approver", True), ("IV", "city_approver", True),
])
def test_issuing_authority_by_level(world, level, approver, allowed):
    warning = service.create_warning(world.db, world.actor(world.prov_officer),
                                     warning_input(world, level=level))
    if approver == "city_approver":
        # A city approver sees only its subtree: the warning must be drafted there.
        warning.organisation_id = world.city.id
        world.db.flush()
    service.submit_for_review(world.db, world.actor(world.prov_officer), warning.id)
    actor = world.actor(getattr(world, approver))
    if allowed:
        service.approve(world.db, actor, warning.id)
        assert warning.status == WarningStatus.approved
    else:
        with pytest.raises(NoIssuingAuthority):
            service.approve(world.db, actor, warning.id)


def test_authority_rules_are_configurable_and_audited(world):
    authority.update_rule(world.db, world.actor(world.supervisor), "I",
                          ["national", "provincial"])
    assert authority.rules(world.db)["I"] == ["national", "provincial"]
    with pytest.raises(ValidationFailed):
        authority.update_rule(world.db, world.actor(world.supervisor), "I", ["galactic"])
    assert world.db.execute(select(AuditEntry).where(
        AuditEntry.action == "warning.authority.update")).scalar_one()


def test_comment_window(world):
    warning = make_draft(world, warning_type="notice")
    service.open_comment_window(world.db, world.actor(world.officer), warning.id, 3)
    assert warning.status == WarningStatus.commenting and warning.comment_deadline
    # The named enterprise sees the draft and replies; the other enterprise does not see it.
    ent = world.actor(world.ent_user)
    assert service.get_warning(world.db, ent, warning.id)
    with pytest.raises(NotFound):
        service.get_warning(world.db, world.actor(world.ent2_user), warning.id)
    with pytest.raises(NotFound):
        service.add_comment(world.db, world.actor(world.ent2_user), warning.id, "?")
    service.add_comment(world.db, ent, warning.id, "该批次已全部召回，请核实。")
    assert [c.body for c in service.comments_of(world.db, warning.id)]
    # Every named enterprise replied: the drafter may submit before the deadline.
    service.submit_for_review(world.db, world.actor(world.officer), warning.id)
    with pytest.raises(NotFound):  # in review, the draft is no longer shown to the enterprise
        service.add_comment(world.db, ent, warning.id, "too late")


def test_expired_comment_window_refuses_replies(world):
    warning = make_draft(world, warning_type="notice",
                         enterprises=[{"organisation_id": world.enterprise.id},
                                      {"organisation_id": world.enterprise2.id}])
    service.open_comment_window(world.db, world.actor(world.officer), warning.id, 1)
    with pytest.raises(service.CommentWindowOpen):
        service.submit_for_review(world.db, world.actor(world.officer), warning.id)
    warning.comment_deadline = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    world.db.flush()
    with pytest.raises(service.CommentWindowClosed):
        service.add_comment(world.db, world.actor(world.ent_user), warning.id, "late")
    service.submit_for_review(world.db, world.actor(world.officer), warning.id)


@pytest.mark.parametrize(("overrides", "why"), [
    ({"level": "I"}, "level I"), ({"warning_type": "bulletin"}, "bulletin"),
    ({"enterprises": []}, "none named"),
])
def test_comment_window_is_refused(world, overrides, why):
    warning = make_draft(world, **overrides)
    with pytest.raises(service.CommentWindowNotAllowed):
        service.open_comment_window(world.db, world.actor(world.officer), warning.id)


def test_publication_freezes_the_original_and_follow_ups_are_numbered(world):
    warning = make_published_warning(world)
    assert warning.status == WarningStatus.published and warning.original["level"] == "III"
    facets = {(f.facet, f.value) for f in world.db.execute(
        select(WarningFacet).where(WarningFacet.warning_id == warning.id)).scalars()}
    assert {("country", "CN"), ("chapter", "95"), ("category", "玩具"),
            ("hs", "950300")} <= facets
    first = adjust(world, warning, level="II", origin_countries=["CN", "VN", "TH"])
    assert first.sequence == 1 and first.changes["level"] == ["III", "II"]
    assert warning.status == WarningStatus.adjusted and warning.level == "II"
    assert warning.original["level"] == "III"  # the original stays as published
    with pytest.raises(ValidationFailed):
        adjust(world, warning, level="II")  # nothing changes
    second = lift(world, warning)
    assert second.sequence == 2 and second.kind == FollowUpKind.lifting
    assert warning.status == WarningStatus.lifted
    with pytest.raises(InvalidTransition):
        adjust(world, warning, level="IV")  # a lifted warning is not adjusted
    actions = [e.action for e in service.history(world.db, warning)]
    assert actions[:4] == ["warning.create", "warning.submit", "warning.approve",
                           "warning.publish"]
    assert "warning.adjust" in actions and actions[-1] == "warning.lift"


def test_raising_to_level_one_needs_national_authority(world):
    warning = service.create_warning(world.db, world.actor(world.prov_officer),
                                     warning_input(world, level="II"))
    service.submit_for_review(world.db, world.actor(world.prov_officer), warning.id)
    service.approve(world.db, world.actor(world.prov_approver), warning.id)
    service.publish(world.db, world.actor(world.prov_approver), warning.id)
    with pytest.raises(NoIssuingAuthority):
        service.adjust(world.db, world.actor(world.prov_approver), warning.id,
                       service.AdjustmentIn(reason="升级", level="I"))
    service.adjust(world.db, world.actor(world.approver), warning.id,
                   service.AdjustmentIn(reason="升级", level="I"))


def test_withdrawal(world):
    draft = make_draft(world)
    assert service.withdraw(world.db, world.actor(world.officer), draft.id, "重复") is None
    assert draft.status == WarningStatus.withdrawn
    published = make_published_warning(world)
    follow_up = service.withdraw(world.db, world.actor(world.approver), published.id, "发布错误")
    assert follow_up.kind == FollowUpKind.withdrawal and published.status == "withdrawn"


def test_visibility_follows_the_type(world):
    bulletin = make_published_warning(world, warning_type="bulletin")
    notice = make_published_warning(world, warning_type="notice")
    announcement = make_published_warning(world)
    draft = make_draft(world)
    anonymous = Actor.anonymous()

    def visible(actor):  # type: ignore[no-untyped-def]
        ids = {w.id for w in world.db.execute(service.warnings_statement(actor)).scalars()}
        return {name for name, w in [("bulletin", bulletin), ("notice", notice),
                                     ("announcement", announcement), ("draft", draft)]
                if w.id in ids}

    assert visible(anonymous) == {"announcement"}
    assert visible(world.actor(world.other_officer)) == {"bulletin", "notice", "announcement"}
    assert visible(world.actor(world.ent_user)) == {"notice", "announcement"}
    assert visible(world.actor(world.ent2_user)) == {"announcement"}
    assert visible(world.actor(world.officer)) == {"bulletin", "notice", "announcement", "draft"}
    assert visible(world.actor(world.prov_officer)) == {"bulletin", "notice", "announcement"}


def test_working_days_skip_weekends_and_holidays():
    friday = dt.datetime(2026, 9, 25, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
    end = add_working_days(friday, 3, timezone="Asia/Shanghai",
                           holidays=frozenset({dt.date(2026, 9, 29)}))
    assert end.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(2026, 10, 1)


def test_every_change_is_audited(world):
    warning = make_published_warning(world)
    entries = world.db.execute(select(AuditEntry).where(
        AuditEntry.object_type == "public_warning",
        AuditEntry.object_id == str(warning.id))).scalars().all()
    assert all(e.actor_name for e in entries) and len(entries) >= 4
    assert isinstance(warning, PublicWarning) and WarningIn
