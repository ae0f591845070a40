"""Attachments of reports: checked by content, stored once on disk under their SHA-256.

The type is read from the first bytes of the file (its magic number), never from its name or the
type the browser claims: a program renamed `photo.jpg` is refused. Allowed: JPEG, PNG, WebP, GIF
and PDF. Files are written (atomically, by rename) before the transaction commits; a rolled-back
report leaves at most an unreferenced file behind, which is harmless in a content-addressed store.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.errors import DomainError, FieldProblem, NotFound
from riskgate.core.i18n import N_
from riskgate.core.uploads import Upload
from riskgate.records import service as records
from riskgate.reports.models import RecordAttachment

ALLOWED = ("JPEG", "PNG", "WebP", "GIF", "PDF")


class AttachmentRefused(DomainError):
    status = 415
    type_slug = "attachment-refused"
    title = N_("Attachment refused")
    message = N_("Only JPEG, PNG, WebP, GIF images and PDF documents can be attached.")


class AttachmentTooLarge(DomainError):
    status = 413
    type_slug = "attachment-too-large"
    title = N_("Attachment too large")
    message = N_("An attachment is larger than the limit of {limit} bytes.")


class TooManyAttachments(DomainError):
    status = 422
    type_slug = "too-many-attachments"
    title = N_("Too many attachments")
    message = N_("At most {max} files can be attached.")


@dataclass(frozen=True)
class Checked:
    file_name: str
    data: bytes
    media_type: str
    sha256: str


def sniff(data: bytes) -> str | None:
    """The media type of `data` from its magic bytes, if it is one of the allowed types."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def safe_name(name: str | None) -> str:
    """The last path component of a sent file name, printable, at most 255 characters."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(c for c in text if c.isprintable()).strip() or "attachment"
    return text[-255:]


def check(uploads: list[Upload], *, max_bytes: int, max_files: int) -> list[Checked]:
    """Check every file before anything is stored; errors name the file (field `attachments`)."""
    if len(uploads) > max_files:
        raise TooManyAttachments(
            fields=[FieldProblem("attachments", TooManyAttachments.message, {"max": max_files})],
            max=max_files,
        )
    checked = []
    for index, upload in enumerate(uploads):
        name = safe_name(upload.file_name)
        loc = f"attachments.{index}"
        if len(upload.data) > max_bytes:
            raise AttachmentTooLarge(
                fields=[FieldProblem(loc, N_("{name} is larger than {limit} bytes."),
                                     {"name": name, "limit": max_bytes})],
                limit=max_bytes,
            )
        media_type = sniff(upload.data)
        if media_type is None:
            raise AttachmentRefused(fields=[FieldProblem(
                loc, N_("{name} is not a JPEG, PNG, WebP or GIF image or a PDF document "
                        "(checked by its content, not its name)."), {"name": name})])
        digest = hashlib.sha256(upload.data).hexdigest()
        checked.append(Checked(name, upload.data, media_type, digest))
    return checked


def path_for(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


def store_file(root: Path, item: Checked) -> Path:
    """Write the bytes under their hash unless already there (same content, same file)."""
    target = path_for(root, item.sha256)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(item.data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def attach(db: Session, root: Path, record_id: int, items: list[Checked]) -> list[RecordAttachment]:
    """Store the files and link them to the record (the same file twice is linked once)."""
    rows: dict[str, RecordAttachment] = {}
    for item in items:
        if item.sha256 in rows:
            continue
        store_file(root, item)
        row = RecordAttachment(record_id=record_id, sha256=item.sha256,
                               media_type=item.media_type, size=len(item.data),
                               original_name=item.file_name)
        db.add(row)
        rows[item.sha256] = row
    db.flush()
    return list(rows.values())


def attachments_of(db: Session, record_id: int) -> list[RecordAttachment]:
    return list(db.execute(
        select(RecordAttachment).where(RecordAttachment.record_id == record_id)
        .order_by(RecordAttachment.id)
    ).scalars())


def get_attachment(db: Session, actor: Actor, attachment_id: int) -> RecordAttachment:
    """An attachment whose record the actor may read; NotFound otherwise (as for the record)."""
    attachment = db.get(RecordAttachment, attachment_id)
    if attachment is None:
        raise NotFound(N_("attachment"))
    try:
        records.get_record(db, actor, attachment.record_id)
    except NotFound:
        raise NotFound(N_("attachment")) from None
    return attachment


def read_file(root: Path, attachment: RecordAttachment) -> bytes:
    path = path_for(root, attachment.sha256)
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise NotFound(N_("attachment file")) from error
