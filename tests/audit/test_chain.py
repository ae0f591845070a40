"""The audit chain: every change audited, and any edit, insertion or deletion detected."""

import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from riskgate.audit import service as audit
from riskgate.audit.models import AuditEntry
from riskgate.core.db import is_postgresql
from tests.factories import SYSTEM, make_org


def _entries(db, n=5):
    for i in range(n):
        audit.record(
            db,
            SYSTEM,
            "test.action",
            object_type="thing",
            object_id=i,
            before={"v": i},
            after={"v": i + 1, "名称": "测试"},
        )
    db.commit()


def _as_dba(db, statement: str) -> None:
    """Change the audit table behind riskgate's back, as someone with database access could."""
    if is_postgresql(db):
        db.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
        db.execute(text(statement))
        db.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER USER"))
    else:
        db.execute(text("DROP TRIGGER audit_entry_no_update"))
        db.execute(text("DROP TRIGGER audit_entry_no_delete"))
        db.execute(text(statement))
    db.commit()


def test_intact_chain_verifies(db):
    _entries(db)
    report = audit.verify_chain(db)
    assert report.ok and report.checked == 5


def test_ids_are_gap_free_and_linked(db):
    _entries(db, 3)
    rows = db.query(AuditEntry).order_by(AuditEntry.id).all()
    assert [r.id for r in rows] == [1, 2, 3]
    assert rows[1].prev_hash == rows[0].entry_hash


def test_database_refuses_update_and_delete(db):
    _entries(db, 2)
    with pytest.raises(Exception, match="append-only"):
        db.execute(text("UPDATE audit_entry SET reason = 'x' WHERE id = 1"))
    db.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.execute(text("DELETE FROM audit_entry WHERE id = 2"))
    db.rollback()


def test_altered_entry_is_detected(db):
    _entries(db)
    _as_dba(db, "UPDATE audit_entry SET after = '{\"v\": 999}' WHERE id = 3")
    report = audit.verify_chain(db)
    assert not report.ok
    assert [(p.entry_id, p.kind) for p in report.problems] == [(3, "altered")]


def test_deleted_entry_is_detected(db):
    _entries(db)
    _as_dba(db, "DELETE FROM audit_entry WHERE id = 2")
    kinds = {p.kind for p in audit.verify_chain(db).problems}
    assert {"gap", "broken-link", "count-mismatch"} <= kinds


def test_deleted_tail_is_detected(db):
    _entries(db)
    _as_dba(db, "DELETE FROM audit_entry WHERE id = 5")
    kinds = {p.kind for p in audit.verify_chain(db).problems}
    assert "head-mismatch" in kinds


def test_inserted_entry_is_detected(db):
    _entries(db, 2)
    _as_dba(
        db,
        "INSERT INTO audit_entry (id, occurred_at, actor_name, action, object_type, "
        "prev_hash, entry_hash) VALUES (3, CURRENT_TIMESTAMP, 'mallory', 'forged', 'x', "
        "'0', 'f00d')",
    )
    assert not audit.verify_chain(db).ok


def test_changes_and_audit_commit_together(db):
    org = make_org(db)
    db.rollback()  # the organisation and its audit entry vanish together
    assert db.query(AuditEntry).filter(AuditEntry.object_id == str(org.id)).count() == 0
    assert audit.verify_chain(db).ok


def test_cli_audit_verify_catches_tampering(db, database_url):
    _entries(db)
    env = {**os.environ, "RISKGATE_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "riskgate.cli", "audit", "verify"]
    intact = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stderr
    _as_dba(db, "UPDATE audit_entry SET actor_name = 'someone else' WHERE id = 4")
    broken = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert broken.returncode == 1
    assert "entry 4: altered" in broken.stderr
