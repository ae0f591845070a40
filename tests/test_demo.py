"""The demo data loads through the real services, and every demo user can sign in.

(The CLI's set-up commands, `db upgrade`, `load-demo` and `create-admin`, are run with every
other command in tests/test_cli_commands.py.)
"""

from stdnum.cn import uscc

from riskgate.audit.service import verify_chain
from riskgate.core.permissions import Role
from riskgate.demo import load_demo_data
from riskgate.identity.demo import DEMO_PASSWORD, ENTERPRISES, USERS, demo_exists, make_uscc
from riskgate.identity.models import Organisation, User
from tests.factories import form_sign_in


def test_demo_covers_every_role_and_signs_in(client, db, settings):
    summary = load_demo_data(db, settings)
    db.commit()
    assert demo_exists(db)
    assert summary["users"] == len(USERS)
    held = {role for user in db.query(User).all() for role in user.roles}
    assert held == set(Role)
    assert all(o.is_demo for o in db.query(Organisation).all())
    for username in ("sysadmin", "officer", "enterprise"):
        client.cookies.clear()
        form_sign_in(client, username, DEMO_PASSWORD)  # the real form: this is about signing in
    assert verify_chain(db).ok


def test_demo_enterprise_codes_are_valid():
    for _key, _zh, _en, region, base8 in ENTERPRISES:
        assert uscc.is_valid(make_uscc(region, base8))

