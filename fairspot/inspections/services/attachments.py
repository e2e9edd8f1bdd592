"""Evidence files of a visit item, checked by size and real type and stored by SHA-256.

A received file is written to ``MEDIA_ROOT/incoming/`` (the same file system) and renamed into
``MEDIA_ROOT/attachments/<sha256[:2]>/<sha256>.<ext>`` only when the transaction that records it commits
(``transaction.on_commit``). A transaction that fails, ours or an enclosing one, leaves no file behind:
see ``PendingFile``.
"""

from __future__ import annotations

import hashlib
import tempfile
import weakref
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.inspections.models import Attachment, AttachmentKind, ResultStatus, VisitItem
from fairspot.inspections.services.approvals import require_approved
from fairspot.inspections.services.lines import locked
from fairspot.inspections.services.rules import require_record

ATTACHMENT_MAX_BYTES = settings.FAIRSPOT_ATTACHMENT_MAX_BYTES
# content type → (magic prefix, permitted file-name extensions)
ATTACHMENT_TYPES = {
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "application/pdf": (b"%PDF-", (".pdf",)),
}


def detect_content_type(head: bytes) -> str | None:
    for content_type, (magic, _exts) in ATTACHMENT_TYPES.items():
        if head.startswith(magic):
            return content_type
    return None


def attachments_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


def incoming_root() -> Path:
    """Where received files wait for their transaction (beside ``attachments/``: a rename, not a copy)."""
    return Path(settings.MEDIA_ROOT) / "incoming"


class PendingFile:
    """A received file waiting for the transaction that records it.

    ``promote`` (registered with ``transaction.on_commit``) renames it into place, or drops it when the
    same content is stored already. Otherwise it is deleted: by ``discard`` when the recording block
    fails, or when a rollback of an enclosing transaction drops the on-commit callback, which holds the
    last reference to it (``weakref.finalize``: CPython frees it there and then; at the latest when the
    process exits).
    """

    def __init__(self, received: Path, final: Path):
        self.received, self.final = received, final
        self._delete = weakref.finalize(self, received.unlink, missing_ok=True)

    def promote(self) -> None:
        self.final.parent.mkdir(parents=True, exist_ok=True)
        if self.final.exists():
            self.received.unlink(missing_ok=True)
        else:
            self.received.replace(self.final)
        self._delete.detach()

    def discard(self) -> None:
        self._delete()


def attachment_add(
    *, actor, line: VisitItem, upload, kind: str, source: str = "", description: str = ""
) -> Attachment:
    """Store an evidence file after checking its size and its real type (magic bytes, not the name)."""
    require_record(actor, line.visit)
    require_approved(line.visit)
    if kind not in AttachmentKind.values:
        raise DomainError(_("Unknown kind of attachment."), field="kind")
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise DomainError(
            _("The file is %(size)s bytes; attachments may not exceed %(max)s bytes.")
            % {"size": upload.size, "max": ATTACHMENT_MAX_BYTES},
            field="file",
        )
    head = b""
    for chunk in upload.chunks():
        head = chunk[:16]
        break
    upload.seek(0)
    content_type = detect_content_type(head)
    name = Path(upload.name or "").name
    if content_type is None:
        raise DomainError(_("Only JPEG, PNG and PDF files are accepted."), field="file")
    if Path(name).suffix.lower() not in ATTACHMENT_TYPES[content_type][1]:
        raise DomainError(
            _("The file name %(name)s does not match its content (%(type)s).")
            % {"name": name, "type": content_type},
            field="file",
        )
    if kind == AttachmentKind.PHOTO and not content_type.startswith("image/"):
        raise DomainError(_("A photo must be a JPEG or PNG image."), field="file")
    if kind in (AttachmentKind.AUTHORITY, AttachmentKind.AGENCY) and not source.strip():
        raise DomainError(_("Name the authority or agency that issued the report."), field="source")
    incoming = incoming_root()
    incoming.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=incoming, prefix="attachment-", suffix=".part", delete=False) as tmp:
        for chunk in upload.chunks():
            size += len(chunk)
            if size > ATTACHMENT_MAX_BYTES:
                tmp.close()
                Path(tmp.name).unlink(missing_ok=True)
                raise DomainError(_("The file exceeds the size limit."), field="file")
            digest.update(chunk)
            tmp.write(chunk)
    sha = digest.hexdigest()
    relative = f"attachments/{sha[:2]}/{sha}{ATTACHMENT_TYPES[content_type][1][0]}"
    pending = PendingFile(Path(tmp.name), Path(settings.MEDIA_ROOT) / relative)
    try:
        with transaction.atomic():
            line = locked(line)
            if line.status == ResultStatus.PUBLISHED:
                raise DomainError(_("The result is published; evidence is no longer added."))
            attachment = Attachment.objects.create(
                line=line,
                kind=kind,
                source=source.strip(),
                description=description.strip(),
                original_name=name[:255],
                content_type=content_type,
                size=size,
                sha256=sha,
                path=relative,
                uploaded_by=actor,
            )
            record(
                actor,
                "inspections.attachment.added",
                line,
                data={"sha256": sha, "name": name, "kind": kind, "size": size},
                department_id=line.department_id,
            )
            transaction.on_commit(pending.promote)
    except BaseException:
        pending.discard()  # at once: the traceback may keep ``pending`` alive for a while
        raise
    return attachment
