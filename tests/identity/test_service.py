"""Organisation and user rules: codes, hierarchy, roles, passwords, data scope."""

import pytest
from sqlalchemy import select

from riskgate.core.context import Actor
from riskgate.core.errors import Conflict, NotFound, ValidationFailed
from riskgate.core.permissions import Role
from riskgate.identity import service
from riskgate.identity.auth_service import actor_for
from riskgate.identity.demo import make_uscc
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import Organisation
from tests.factories import SYSTEM, make_org, make_user


def test_subtree_paths_and_move(db):
    root = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL)
    a = make_org(db, parent=root)
    b = make_org(db, parent=root)
    leaf = make_org(db, parent=a, org_type=OrgType.SUBORDINATE_CUSTOMS, level=OrgLevel.CITY)
    assert leaf.path == f"/{root.id}/{a.id}/{leaf.id}/"
    service.update_organisation(db, SYSTEM, a.id, {"parent_id": b.id}, "reorganisation")
    db.refresh(leaf)
    assert leaf.path == f"/{root.id}/{b.id}/{a.id}/{leaf.id}/"
    with pytest.raises(ValidationFailed):
        service.update_organisation(db, SYSTEM, b.id, {"parent_id": leaf.id}, None)


def test_enterprise_needs_valid_uscc(db):
    with pytest.raises(ValidationFailed) as missing:
        make_org(db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE)
    assert missing.value.fields[0].loc == "uscc"
    with pytest.raises(ValidationFailed):
        make_org(db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE, uscc="91310000123456789X")
    good = make_uscc("310115", "31748252")
    ent = make_org(db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE, uscc=good.lower())
    assert ent.uscc == good
    with pytest.raises(Conflict):
        make_org(db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE, uscc=good)


def test_foreign_enterprise_needs_name_country_and_registration(db):
    with pytest.raises(ValidationFailed):
        make_org(db, org_type=OrgType.FOREIGN_ENTERPRISE, level=OrgLevel.NONE, foreign_country="DE")
    org = make_org(
        db,
        org_type=OrgType.FOREIGN_ENTERPRISE,
        level=OrgLevel.NONE,
        foreign_country="DE",
        foreign_registration_number="HRB 1",
    )
    assert org.foreign_country == "DE"


@pytest.mark.parametrize(
    "roles",
    [
        (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN),
        (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN),
        (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN),
    ],
)
def test_no_account_holds_two_administrator_duties(db, settings, roles):
    org = make_org(db)
    with pytest.raises(ValidationFailed):
        make_user(db, settings, org, *roles)
    user = make_user(db, settings, org, roles[0])
    with pytest.raises(ValidationFailed):
        service.set_roles(db, SYSTEM, user.id, list(roles), None)


def test_enterprise_users_only_in_enterprises(db, settings):
    org = make_org(db)
    with pytest.raises(ValidationFailed):
        make_user(db, settings, org, Role.ENTERPRISE_USER)
    ent = make_org(
        db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE, uscc=make_uscc("440115", "44917302")
    )
    with pytest.raises(ValidationFailed):
        make_user(db, settings, ent, Role.RISK_OFFICER)
    assert make_user(db, settings, ent, Role.ENTERPRISE_USER).roles == {Role.ENTERPRISE_USER}


@pytest.mark.parametrize(
    "password,problem",
    [
        ("Short1!", "password.too_short"),
        ("alllowercaseletters", "password.too_simple"),
        ("Password123", "password.too_common"),
    ],
)
def test_password_policy(db, settings, password, problem):
    from riskgate.identity.passwords import PASSWORD_MESSAGES

    org = make_org(db)
    with pytest.raises(ValidationFailed) as error:
        service.create_user(
            db,
            SYSTEM,
            settings,
            service.UserInput(
                username="newbie",
                display_name="x",
                organisation_id=org.id,
                password=password,
                roles=[Role.RISK_OFFICER],
            ),
        )
    assert PASSWORD_MESSAGES[problem] in [f.message for f in error.value.fields]


def test_password_must_not_contain_user_name(db, settings):
    org = make_org(db)
    with pytest.raises(ValidationFailed):
        service.create_user(
            db,
            SYSTEM,
            settings,
            service.UserInput(
                username="zhangwei",
                display_name="x",
                organisation_id=org.id,
                password="Zhangwei-2026!",
                roles=[Role.RISK_OFFICER],
            ),
        )


def test_scope_is_the_subtree(db, settings):
    root = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL)
    a = make_org(db, parent=root)
    a_child = make_org(db, parent=a)
    b = make_org(db, parent=root)
    officer = make_user(db, settings, a, Role.SECURITY_ADMIN)
    other = make_user(db, settings, b, Role.RISK_OFFICER)
    actor = actor_for(officer, "en")
    visible = {o.id for o in db.execute(service.organisations_statement(actor)).scalars()}
    assert visible == {a.id, a_child.id}
    with pytest.raises(NotFound):
        service.get_user(db, actor, other.id)
    with pytest.raises(NotFound):
        service.get_organisation(db, actor, root.id)
    # An officer cannot create a user in an organisation outside their scope.
    with pytest.raises(NotFound):
        service.create_user(
            db,
            actor,
            settings,
            service.UserInput(
                username="intruder",
                display_name="x",
                organisation_id=b.id,
                password="Very-Strong-2026!",
                roles=[Role.RISK_OFFICER],
            ),
        )


def test_shared_object_becomes_visible(db, settings):
    from riskgate.identity.models import ScopeGrant

    a = make_org(db)
    b = make_org(db)
    viewer = make_user(db, settings, b, Role.RISK_OFFICER)
    actor = actor_for(viewer, "en")
    with pytest.raises(NotFound):
        service.get_organisation(db, actor, a.id)
    db.add(ScopeGrant(object_type="organisation", object_id=a.id, organisation_id=b.id))
    db.flush()
    assert service.get_organisation(db, actor, a.id).id == a.id


def test_anonymous_actor_sees_nothing(db):
    make_org(db)
    stmt = service.organisations_statement(Actor.anonymous())
    assert db.execute(stmt).scalars().all() == []


def test_every_change_is_audited_with_before_and_after(db, settings):
    from riskgate.audit.models import AuditEntry

    org = make_org(db, name_zh="旧名称")
    service.update_organisation(db, SYSTEM, org.id, {"name_zh": "新名称"}, "更名")
    entry = db.execute(
        select(AuditEntry).where(AuditEntry.action == "organisation.updated")
    ).scalar_one()
    assert entry.before == {"name_zh": "旧名称"} and entry.after == {"name_zh": "新名称"}
    assert entry.reason == "更名"
    assert db.get(Organisation, org.id).name_zh == "新名称"
