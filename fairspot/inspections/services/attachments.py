"""Evidence files of a visit item, checked by size and real type and stored by SHA-256."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.inspections.models import Attachment, AttachmentKind, ResultStatus, VisitItem
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


def attachment_add(
    *, actor, line: VisitItem, upload, kind: str, source: str = "", description: str = ""
) -> Attachment:
    """Store an evidence file after checking its size and its real type (magic bytes, not the name)."""
    require_record(actor, line.visit)
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
    root = attachments_root()
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=root, delete=False) as tmp:
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
    final = Path(settings.MEDIA_ROOT) / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        Path(tmp.name).unlink()
    else:
        Path(tmp.name).replace(final)
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
    return attachment
