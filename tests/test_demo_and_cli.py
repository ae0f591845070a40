"""The demo data loads through the real services, and the CLI's set-up commands work."""

import os
import subprocess
import sys

from stdnum.cn import uscc

from riskgate.audit.service import verify_chain
from riskgate.core.permissions import Role
from riskgate.demo import load_demo_data
from riskgate.identity.demo import DEMO_PASSWORD, ENTERPRISES, USERS, demo_exists, make_uscc
from riskgate.identity.models import Organisation, User
from tests.factories import sign_in


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
        sign_in(client, username, DEMO_PASSWORD)
    assert verify_chain(db).ok


def test_demo_enterprise_codes_are_valid():
    for _key, _zh, _en, region, base8 in ENTERPRISES:
        assert uscc.is_valid(make_uscc(region, base8))


def test_cli_upgrade_load_demo_and_verify(tmp_path):
    env = {**os.environ, "RISKGATE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}

    def riskgate(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "riskgate.cli", *args], env=env,
                              capture_output=True, text=True, timeout=120)

    assert riskgate("db", "upgrade").returncode == 0
    loaded = riskgate("load-demo")
    assert loaded.returncode == 0, loaded.stderr
    assert "Demo data is already loaded" in riskgate("load-demo").stderr
    created = riskgate("create-admin", "--username", "ops2", "--role", "audit_admin",
                       "--organisation-code", "GACC", "--password", "Another-Admin-2026!")
    assert created.returncode == 0, created.stderr
    refused = riskgate("create-admin", "--username", "ops3", "--role", "risk_officer",
                       "--organisation-code", "GACC", "--password", "Another-Admin-2026!")
    assert refused.returncode == 2
    assert riskgate("audit", "verify").returncode == 0
    assert riskgate("--help").returncode == 0
