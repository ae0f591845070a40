"""Links only to what the reader may open (web.links): the audit log links an object's page only
when the auditor holds that page's permission (an outbox event's page is the system
administrator's: 403 for the auditor, so no link)."""

from __future__ import annotations

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.permissions import Permission, Role
from riskgate.web.links import link_if_allowed, local_path
from tests.factories import SYSTEM
from tests.web.conftest import form_sign_in


def test_link_if_allowed() -> None:
    auditor = Actor.for_user(user_id=1, username="a", organisation_id=1,
                             organisation_path="/1/", roles=frozenset({Role.AUDIT_ADMIN}))
    assert link_if_allowed(auditor, Permission.AUDIT_READ, "/console/audit") == "/console/audit"
    assert link_if_allowed(auditor, Permission.OUTBOX_READ, "/console/outbox/1") is None
    assert link_if_allowed(auditor, "audit.read", None) is None
    assert link_if_allowed(None, Permission.PUBLIC, "/") is None
    assert local_path("/console/inbox?unread=true") == "/console/inbox"
    assert local_path("//evil.example/x") is None and local_path("https://x.cn/") is None


def test_the_audit_log_links_only_pages_the_auditor_may_open(page, world, db) -> None:  # type: ignore[no-untyped-def]
    for object_type, object_id in (("outbox_event", 4242), ("risk_record", 4343)):
        audit.record(db, SYSTEM, "test.touched", object_type=object_type, object_id=object_id,
                     after={"n": 1}, organisation_id=world["head"].id)
    db.commit()
    form_sign_in(page, "auditor")
    html = page.get("/console/audit").text
    assert "#4242" in html and 'href="/console/outbox/4242"' not in html
    assert "#4343" in html and 'href="/console/records/4343"' not in html
    # Pages the auditor may open keep their links, with each object's history.
    assert f'href="/console/organisations/{world["district"].id}"' in html
    assert 'href="/console/audit?object_type=outbox_event&amp;object_id=4242"' in html
