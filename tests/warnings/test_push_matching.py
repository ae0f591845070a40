"""Subscriptions (精准推送): validation against the catalogue, ownership, and which
subscriptions a warning matches (each filter, HS prefixes, nationwide warnings, who may read
each warning type)."""

from __future__ import annotations

import pytest

from riskgate.audit.models import AuditEntry
from riskgate.core.errors import NotFound, ValidationFailed
from riskgate.warnings.push import subscriptions
from riskgate.warnings.push.subscriptions import matching_subscriptions, regions_overlap
from tests.warnings.helpers import build_world, make_published_warning


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def subscribe(world, user, **filters):  # type: ignore[no-untyped-def]
    data = {"name": "s", "channel": "inbox", **filters}
    return subscriptions.create_subscription(world.db, world.actor(user), data)


def matched(world, warning) -> set[int]:  # type: ignore[no-untyped-def]
    return {m.id for m in matching_subscriptions(world.db, warning)}


def test_filters_are_checked_against_the_catalogue(world):
    with pytest.raises(ValidationFailed) as caught:
        subscribe(world, world.prov_officer, hs_prefixes=["9503", "0000", "12x"],
                  countries=["VN", "ZZ"], regions=["310000", "999999"])
    assert {p.loc for p in caught.value.fields} == {"hs_prefixes/1", "hs_prefixes/2",
                                                    "countries/1", "regions/1"}
    created = subscribe(world, world.prov_officer, hs_prefixes=["9503.00", "95"],
                        countries=["vn", "VN"], levels=["I", "II"])
    assert created.hs_prefixes == ["950300", "95"] and created.countries == ["VN"]
    assert created.levels == ["I", "II"]
    assert world.db.query(AuditEntry).filter_by(action="warning.subscription.created",
                                                object_id=str(created.id)).count() == 1


def test_channel_targets(world):
    # prov_officer has no e-mail address: the e-mail channel needs one.
    with pytest.raises(ValidationFailed) as caught:
        subscribe(world, world.prov_officer, channel="email")
    assert [p.loc for p in caught.value.fields] == ["email"]
    with pytest.raises(ValidationFailed):
        subscribe(world, world.prov_officer, channel="email", email="not-an-address")
    own = subscribe(world, world.officer, channel="email")
    assert own.email == world.officer.email
    with pytest.raises(ValidationFailed) as caught:
        subscribe(world, world.officer, channel="webhook", webhook_endpoint_id=999999)
    assert [p.loc for p in caught.value.fields] == ["webhook_endpoint_id"]


def test_a_user_sees_and_edits_only_own_subscriptions(world):
    mine = subscribe(world, world.prov_officer)
    with pytest.raises(NotFound):
        subscriptions.get_subscription(world.db, world.actor(world.officer), mine.id)
    with pytest.raises(NotFound):
        subscriptions.update_subscription(world.db, world.actor(world.officer), mine.id,
                                          {"name": "x"})
    listed = world.db.execute(subscriptions.subscriptions_statement(
        world.actor(world.officer))).scalars().all()
    assert mine not in listed
    changed = subscriptions.update_subscription(world.db, world.actor(world.prov_officer),
                                                mine.id, {"levels": ["I"], "name": "renamed"})
    assert changed.levels == ["I"] and changed.name == "renamed"
    subscriptions.deactivate_subscription(world.db, world.actor(world.prov_officer), mine.id)
    assert mine.active is False
    actions = [e.action for e in world.db.query(AuditEntry).filter_by(
        object_type="warning_subscription", object_id=str(mine.id))]
    assert actions.count("warning.subscription.updated") == 2


def test_each_filter(world):
    # The default warning: level III announcement, origin CN and VN, region 310000 (Shanghai),
    # one toy (HS 950300, category 玩具).
    user = world.prov_officer
    hits = [
        subscribe(world, user),
        subscribe(world, user, levels=["III"]),
        subscribe(world, user, warning_types=["announcement"]),
        subscribe(world, user, countries=["VN"]),
        subscribe(world, user, hs_prefixes=["95"]),
        subscribe(world, user, hs_prefixes=["9503"]),
        subscribe(world, user, hs_prefixes=["0306", "950300"]),
        subscribe(world, user, categories=["玩具"]),
        subscribe(world, user, regions=["310000"]),
        subscribe(world, user, regions=["310115"]),  # Pudong lies in Shanghai
        subscribe(world, user, levels=["III", "IV"], countries=["CN"], hs_prefixes=["9503"]),
    ]
    misses = [
        subscribe(world, user, levels=["I"]),
        subscribe(world, user, warning_types=["bulletin"]),
        subscribe(world, user, countries=["US"]),
        subscribe(world, user, hs_prefixes=["9504"]),
        subscribe(world, user, categories=["食品"]),
        subscribe(world, user, regions=["440000"]),
        subscribe(world, user, levels=["III"], countries=["US"]),
    ]
    inactive = subscribe(world, user)
    subscriptions.deactivate_subscription(world.db, world.actor(user), inactive.id)
    warning = make_published_warning(world)
    found = matched(world, warning)
    assert {s.id for s in hits} <= found
    assert not ({s.id for s in misses} | {inactive.id}) & found


def test_a_warning_without_regions_is_nationwide(world):
    guangdong = subscribe(world, world.prov_officer, regions=["440000"])
    warning = make_published_warning(world, regions=[])
    assert guangdong.id in matched(world, warning)


def test_regions_overlap_both_ways():
    assert regions_overlap(["310000"], ["310115"])
    assert regions_overlap(["310115"], ["310000"])
    assert not regions_overlap(["310115"], ["310104"])
    assert not regions_overlap(["440000"], ["310000"])


def test_who_may_read_each_type(world):
    regulator = subscribe(world, world.other_officer)
    named = subscribe(world, world.ent_user)  # world.enterprise is named in the warning
    other_enterprise = subscribe(world, world.ent2_user)
    bulletin = make_published_warning(world, warning_type="bulletin")
    assert matched(world, bulletin) == {regulator.id}
    notice = make_published_warning(world, warning_type="notice")
    assert matched(world, notice) == {regulator.id, named.id}
    announcement = make_published_warning(world, warning_type="announcement")
    assert matched(world, announcement) == {regulator.id, named.id, other_enterprise.id}
