"""Attachments of warnings: checked by content and stored once on disk under their SHA-256, with
the same checks and store as report attachments (`reports.attachments`). A public attachment is
shown with the published warning; a non-public one only in the console."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.errors import NotFound
from riskgate.core.i18n import N_
from riskgate.core.uploads import Upload
from riskgate.reports.attachments import Checked, check, path_for, store_file
from riskgate.warnings.lifecycle import service
from riskgate.warnings.lifecycle.workflow import OBJECT_TYPE
from riskgate.warnings.models import PublicWarning, WarningAttachment

__all__ = ["Upload", "add_attachments", "attachments_of", "get_attachment", "read_file"]


def add_attachments(db: Session, actor: Actor, warning: PublicWarning, uploads: list[Upload], *,
                    root: Path, max_bytes: int, max_files: int,
                    public: bool = True) -> list[WarningAttachment]:
    """Check every file first (nothing is stored when one is refused), then store and link
    them; a file already attached to the warning is linked once. Audited."""
    if not uploads:
        return []
    existing = attachments_of(db, warning.id)
    checked: list[Checked] = check(uploads, max_bytes=max_bytes,
                                   max_files=max(max_files - len(existing), 0))
    known = {a.sha256 for a in existing}
    rows: list[WarningAttachment] = []
    for item in checked:
        if item.sha256 in known:
            continue
        store_file(root, item)
        row = WarningAttachment(warning_id=warning.id, sha256=item.sha256,
                                media_type=item.media_type, size=len(item.data),
                                original_name=item.file_name, public=public)
        db.add(row)
        rows.append(row)
        known.add(item.sha256)
    db.flush()
    if rows:
        audit.record(db, actor, "warning.attachment.add", object_type=OBJECT_TYPE,
                     object_id=warning.id, before=None,
                     after={"attachments": [{"id": r.id, "name": r.original_name,
                                             "sha256": r.sha256, "public": r.public}
                                            for r in rows]},
                     organisation_id=warning.organisation_id)
    return rows


def attachments_of(db: Session, warning_id: int, *,
                   public_only: bool = False) -> list[WarningAttachment]:
    stmt = select(WarningAttachment).where(WarningAttachment.warning_id == warning_id)
    if public_only:
        stmt = stmt.where(WarningAttachment.public.is_(True))
    return list(db.execute(stmt.order_by(WarningAttachment.id)).scalars())


def get_attachment(db: Session, actor: Actor, warning_id: int, attachment_id: int, *,
                   public_only: bool = False) -> WarningAttachment:
    """An attachment of a warning the actor may read (only a public one when `public_only`);
    NotFound otherwise, as for the warning."""
    service.get_warning(db, actor, warning_id)
    attachment = db.get(WarningAttachment, attachment_id)
    if (attachment is None or attachment.warning_id != warning_id
            or (public_only and not attachment.public)):
        raise NotFound(N_("attachment"))
    return attachment


def read_file(root: Path, attachment: WarningAttachment) -> bytes:
    try:
        return path_for(root, attachment.sha256).read_bytes()
    except FileNotFoundError as error:
        raise NotFound(N_("attachment file")) from error
