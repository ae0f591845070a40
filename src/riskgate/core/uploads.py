"""Files as received from a form or a multipart API request, before any domain checks them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.datastructures import UploadFile


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the sender gave it and its bytes."""

    file_name: str
    data: bytes


def read_uploads(files: Sequence[UploadFile] | None, max_bytes: int) -> list[Upload]:
    """The chosen files (an empty file input sends a nameless empty part: skipped). Reads at
    most one byte past the limit, so an oversized file is refused without reading it all."""
    uploads = []
    for item in files or []:
        if not isinstance(item, UploadFile) or not item.filename:
            continue
        uploads.append(Upload(item.filename, item.file.read(max_bytes + 1)))
    return uploads
