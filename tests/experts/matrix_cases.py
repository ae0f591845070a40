"""Permission-matrix cases for the expert committee (merged in tests/test_permission_matrix.py).

In organisation A: a panel (quorum 2) whose members are A's expert and a second expert, reviews
of assessments in A, meetings. Routes of the experts' workspace are called by A's expert (the
first role holding EXPERT_VOTE); B's expert is not assigned, so gets 404.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)


def _actor(world: World, role_name: str, side: str = "A"):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return auth_service.actor_for(world.user(side, Role(role_name)), "en")


def _setup(world: World) -> dict[str, Any]:
    """The panel of A with two serving experts (built once)."""
    if "experts" in world.__dict__:
        return world.__dict__["experts"]
    from riskgate.core.permissions import Role
    from riskgate.experts import panels
    from tests.factories import make_user

    officer = _actor(world, "risk_officer")
    second = make_user(world.db, world.settings, world.orgs["A"], Role.EXPERT,
                       username="a_expert2")
    panel = panels.create_panel(world.db, officer, {
        "organisation_id": world.orgs["A"].id, "name_zh": "食品专业组", "field": "food",
        "decision_rule": "majority", "quorum": 2})
    start = dt.date.today() - dt.timedelta(days=10)
    for user in (world.user("A", Role.EXPERT), second):
        panels.set_member(world.db, officer, panel.id, user.id, role="member",
                          term_start=start, term_end=None)
    world.db.commit()
    world.__dict__["experts"] = {"panel_id": panel.id, "second": second.id,
                                 "expert": world.user("A", Role.EXPERT).id}
    return world.__dict__["experts"]


def _assessment(world: World) -> int:
    from riskgate.assessment import service as assessments

    officer = _actor(world, "risk_officer")
    assessment = assessments.open_assessment(
        world.db, officer, title=f"矩阵评估{next(_unique)}", organisation_id=world.orgs["A"].id,
        record_ids=[])
    assessments.submit_to_committee(world.db, officer, assessment.id)
    world.db.commit()
    return assessment.id


def _review(world: World, experts: tuple[str, ...] = ()) -> int:
    from riskgate.experts import service

    setup = _setup(world)
    review = service.refer(world.db, _actor(world, "risk_officer"),
                           assessment_id=_assessment(world), panel_id=setup["panel_id"],
                           expert_ids=[setup[e] for e in experts])
    world.db.commit()
    return review.id


def _voted_review(world: World) -> int:
    from riskgate.experts import service

    review_id = _review(world, ("expert",))
    service.cast_vote(world.db, _actor(world, "expert"), review_id, vote="safe",
                      rationale="matrix")
    world.db.commit()
    return review_id


def _meeting(world: World, *, held: bool = False, fresh: bool = True) -> dict[str, Any]:
    from riskgate.experts import meetings

    setup = _setup(world)
    if not fresh and "meeting" in world.__dict__:
        return world.__dict__["meeting"]
    officer = _actor(world, "risk_officer")
    _review(world, ("expert",))
    meeting = meetings.create_meeting(
        world.db, officer, title=f"会议{next(_unique)}", panel_id=setup["panel_id"],
        scheduled_at=dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC))
    if held:
        meetings.record_meeting(world.db, officer, meeting.id, minutes="纪要",
                                present_user_ids=[setup["expert"], setup["second"]])
    world.db.commit()
    result = {"meeting_id": meeting.id, "item_id": meeting.agenda[-1].id}
    if not fresh:
        world.__dict__["meeting"] = result
    return result


def _decided(world: World) -> None:
    from riskgate.experts import meetings

    if "decided" in world.__dict__:
        return
    ids = _meeting(world, held=True)
    meetings.decide_item(world.db, _actor(world, "risk_officer"), ids["meeting_id"],
                         ids["item_id"], decision="safe", rationale="matrix")
    world.db.commit()
    world.__dict__["decided"] = True


def _panel(w: World, u: Any = None) -> dict[str, Any]:
    return {"panel_id": _setup(w)["panel_id"]}


def _member(w: World, u: Any = None) -> dict[str, Any]:
    return {"panel_id": _setup(w)["panel_id"], "user_id": _setup(w)["expert"]}


def _expert_user(w: World, u: Any = None) -> dict[str, Any]:
    return {"user_id": _setup(w)["expert"]}


def _shared_review(w: World, u: Any = None) -> dict[str, Any]:
    if "review_id" not in w.__dict__:
        w.__dict__["review_id"] = _review(w, ("expert",))
    return {"review_id": w.__dict__["review_id"]}


def _own_conflict(w: World, u: Any = None) -> dict[str, Any]:
    """A fresh conflict of the calling expert (self routes), or of A's expert."""
    from riskgate.core.permissions import Role
    from riskgate.experts import service

    user = u if u is not None and Role.EXPERT in getattr(u, "roles", ()) else None
    user = user or w.user("A", Role.EXPERT)
    conflict = service.declare_conflict(
        w.db, _actor_of(user), user.id, {"kind": "other", "description": f"矩阵{next(_unique)}"})
    w.db.commit()
    return {"conflict_id": conflict.id}


def _member_conflict(w: World, u: Any = None) -> dict[str, Any]:
    return {"panel_id": _setup(w)["panel_id"], "user_id": _setup(w)["expert"],
            **_own_conflict(w)}


def _actor_of(user: Any):  # type: ignore[no-untyped-def]
    from riskgate.identity import auth_service

    return auth_service.actor_for(user, "en")


TODAY = dt.date.today()
PERIOD = lambda w, u: (_decided(w), {"start": str(TODAY - dt.timedelta(1)),  # noqa: E731
                                     "end": str(TODAY + dt.timedelta(1))})[1]
CONFLICT = {"kind": "other", "description": "matrix"}

EXPERT_CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/experts/panels"): Case(
        "list", params=lambda w, u: (_setup(w), {"limit": 200})[1],
        visible=lambda w, r: any(i["id"] == _setup(w)["panel_id"] for i in _items(r))),
    ("POST", "/api/v1/experts/panels"): Case(
        "object", ok=(201,), body=lambda w, u: {
            "name_zh": f"新专业组{next(_unique)}", "field": "cosmetics",
            "organisation_id": w.orgs["A"].id, "hs_chapters": ["33"]}),
    ("GET", "/api/v1/experts/panels/{panel_id}"): Case("object", params=_panel),
    ("PATCH", "/api/v1/experts/panels/{panel_id}"): Case(
        "object", params=_panel, body=lambda w, u: {"quorum": 2, "reason": "matrix"}),
    ("PUT", "/api/v1/experts/panels/{panel_id}/members/{user_id}"): Case(
        "object", params=_member,
        body=lambda w, u: {"role": "member", "term_start": str(TODAY - dt.timedelta(10))}),
    ("GET", "/api/v1/experts/candidates"): Case("self"),
    ("GET", "/api/v1/experts/me/conflicts"): Case("self"),
    ("POST", "/api/v1/experts/me/conflicts"): Case("self", body=lambda w, u: CONFLICT,
                                                   ok=(201,)),
    ("GET", "/api/v1/experts/members/{user_id}/conflicts"): Case("object", params=_expert_user),
    ("POST", "/api/v1/experts/members/{user_id}/conflicts"): Case(
        "object", params=_expert_user, body=lambda w, u: CONFLICT, ok=(201,)),
    ("POST", "/api/v1/experts/me/conflicts/{conflict_id}/end"): Case(
        "self", params=_own_conflict, body=lambda w, u: {"reason": "matrix"}),
    ("POST", "/api/v1/experts/members/{user_id}/conflicts/{conflict_id}/end"): Case(
        "object", params=lambda w, u: {k: v for k, v in _member_conflict(w).items()
                                       if k != "panel_id"},
        body=lambda w, u: {"reason": "matrix"}),
    ("GET", "/api/v1/experts/reviews"): Case(
        "list", params=lambda w, u: (_shared_review(w), {"limit": 200})[1],
        visible=lambda w, r: any(i["id"] == _shared_review(w)["review_id"] for i in _items(r))),
    ("POST", "/api/v1/experts/reviews"): Case(
        "object", ok=(201,), body=lambda w, u: {
            "assessment_id": _assessment(w), "panel_id": _setup(w)["panel_id"],
            "expert_ids": [_setup(w)["expert"]]}),
    ("GET", "/api/v1/experts/reviews/{review_id}"): Case("object", params=_shared_review),
    ("POST", "/api/v1/experts/reviews/{review_id}/assignments"): Case(
        "object", ok=(201,), params=lambda w, u: {"review_id": _review(w)},
        body=lambda w, u: {"user_id": _setup(w)["expert"]}),
    ("POST", "/api/v1/experts/reviews/{review_id}/assignments/{user_id}/withdraw"): Case(
        "object", params=lambda w, u: {"review_id": _review(w, ("expert",)),
                                       "user_id": _setup(w)["expert"]},
        body=lambda w, u: {"reason": "matrix"}),
    ("GET", "/api/v1/experts/workspace"): Case("self"),
    ("GET", "/api/v1/experts/workspace/{review_id}"): Case("object", params=_shared_review),
    ("POST", "/api/v1/experts/workspace/{review_id}/vote"): Case(
        "object", ok=(201,), params=lambda w, u: {"review_id": _review(w, ("expert",))},
        body=lambda w, u: {"vote": "unsafe", "rationale": "matrix"}),
    ("POST", "/api/v1/experts/workspace/{review_id}/vote/revise"): Case(
        "object", params=lambda w, u: {"review_id": _voted_review(w)},
        body=lambda w, u: {"vote": "unsafe", "rationale": "matrix", "reason": "matrix"}),
    ("GET", "/api/v1/experts/meetings"): Case(
        "list", params=lambda w, u: (_meeting(w, fresh=False), {"limit": 200})[1],
        visible=lambda w, r: any(i["id"] == _meeting(w, fresh=False)["meeting_id"]
                                 for i in _items(r))),
    ("POST", "/api/v1/experts/meetings"): Case(
        "object", ok=(201,), body=lambda w, u: {
            "title": "Q4", "scheduled_at": "2026-12-01T10:00:00+08:00",
            "panel_id": _setup(w)["panel_id"]}),
    ("GET", "/api/v1/experts/meetings/{meeting_id}"): Case(
        "object", params=lambda w, u: {"meeting_id": _meeting(w, fresh=False)["meeting_id"]}),
    ("POST", "/api/v1/experts/meetings/{meeting_id}/agenda"): Case(
        "object", params=lambda w, u: {"meeting_id": _meeting(w)["meeting_id"]},
        body=lambda w, u: {"add": [], "remove": []}),
    ("POST", "/api/v1/experts/meetings/{meeting_id}/record"): Case(
        "object", params=lambda w, u: {"meeting_id": _meeting(w)["meeting_id"]},
        body=lambda w, u: {"minutes": "纪要", "present": []}),
    ("POST", "/api/v1/experts/meetings/{meeting_id}/approve-minutes"): Case(
        "object", params=lambda w, u: {"meeting_id": _meeting(w, held=True)["meeting_id"]}),
    ("POST", "/api/v1/experts/meetings/{meeting_id}/cancel"): Case(
        "object", params=lambda w, u: {"meeting_id": _meeting(w)["meeting_id"]},
        body=lambda w, u: {"reason": "matrix"}),
    ("POST", "/api/v1/experts/meetings/{meeting_id}/agenda/{item_id}/decision"): Case(
        "object", params=lambda w, u: _meeting(w, held=True),
        body=lambda w, u: {"decision": "unsafe", "rationale": "matrix"}),
    ("GET", "/api/v1/experts/decisions"): Case(
        "list", params=PERIOD, visible=lambda w, r: len(r) > 0),
    # Pages
    ("GET", "/console/experts"): Case("self"),
    ("POST", "/console/experts/panels"): Case(
        "self", form=True, ok=(303,), body=lambda w, u: {
            "name_zh": f"页面专业组{next(_unique)}", "field": "chemicals", "quorum": "2",
            "decision_rule": "majority", "hs_chapters": "28 29"}),
    ("POST", "/console/experts/reviews"): Case(
        "object", form=True, ok=(303,), body=lambda w, u: {
            "assessment_id": str(_assessment(w)), "panel_id": str(_setup(w)["panel_id"]),
            "expert_ids": [str(_setup(w)["expert"])]}),
    ("POST", "/console/experts/meetings"): Case(
        "object", form=True, ok=(303,), body=lambda w, u: {
            "title": "页面会议", "scheduled_at": "2026-12-01T10:00",
            "panel_id": str(_setup(w)["panel_id"])}),
    ("GET", "/console/experts/panels/{panel_id}"): Case("object", params=_panel),
    ("POST", "/console/experts/panels/{panel_id}/members"): Case(
        "object", params=_panel, form=True, ok=(303,), body=lambda w, u: {
            "user_id": str(_setup(w)["expert"]), "role": "member",
            "term_start": str(TODAY - dt.timedelta(10))}),
    ("GET", "/console/experts/workspace"): Case("self"),
    ("POST", "/console/experts/conflicts"): Case(
        "self", form=True, ok=(303,), body=lambda w, u: CONFLICT),
    ("GET", "/console/experts/workspace/{review_id}"): Case("object", params=_shared_review),
    ("POST", "/console/experts/workspace/{review_id}/vote"): Case(
        "object", form=True, ok=(303,),
        params=lambda w, u: {"review_id": _review(w, ("expert",))},
        body=lambda w, u: {"vote": "unsafe", "rationale": "matrix"}),
    ("GET", "/console/experts/meetings/{meeting_id}"): Case(
        "object", params=lambda w, u: {"meeting_id": _meeting(w, fresh=False)["meeting_id"]}),
    ("POST", "/console/experts/meetings/{meeting_id}/record"): Case(
        "object", form=True, ok=(303,),
        params=lambda w, u: {"meeting_id": _meeting(w)["meeting_id"]},
        body=lambda w, u: {"minutes": "纪要"}),
    ("POST", "/console/experts/meetings/{meeting_id}/approve"): Case(
        "object", form=True, ok=(303,),
        params=lambda w, u: {"meeting_id": _meeting(w, held=True)["meeting_id"]}),
    ("POST", "/console/experts/meetings/{meeting_id}/items/{item_id}/decision"): Case(
        "object", form=True, ok=(303,), params=lambda w, u: _meeting(w, held=True),
        body=lambda w, u: {"decision": "unsafe", "rationale": "matrix"}),
    ("POST", "/console/experts/panels/{panel_id}"): Case(
        "object", params=_panel, form=True, ok=(303,), body=lambda w, u: {
            "name_zh": "食品专业组", "field": "food", "decision_rule": "majority",
            "quorum": "2", "active": "1", "reason": "matrix"}),
    ("POST", "/console/experts/conflicts/{conflict_id}/end"): Case(
        "self", params=_own_conflict, form=True, ok=(303,),
        body=lambda w, u: {"reason": "matrix"}),
    ("POST", "/console/experts/panels/{panel_id}/members/{user_id}/conflicts/{conflict_id}/end"):
        Case("object", params=_member_conflict, form=True, ok=(303,),
             body=lambda w, u: {"reason": "matrix"}),
    ("POST", "/console/experts/reviews/{review_id}/withdraw"): Case(
        "object", form=True, ok=(303,),
        params=lambda w, u: {"review_id": _review(w, ("expert",))},
        body=lambda w, u: {"user_id": str(_setup(w)["expert"]), "reason": "matrix"}),
    ("POST", "/console/experts/meetings/{meeting_id}/agenda"): Case(
        "object", form=True, ok=(303,),
        params=lambda w, u: {"meeting_id": _meeting(w)["meeting_id"]}, body=lambda w, u: {}),
    ("POST", "/console/experts/meetings/{meeting_id}/cancel"): Case(
        "object", form=True, ok=(303,),
        params=lambda w, u: {"meeting_id": _meeting(w)["meeting_id"]},
        body=lambda w, u: {"reason": "matrix"}),
}
