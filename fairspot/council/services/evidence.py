"""Evidence files of a ledger item: JPEG, PNG or PDF, checked by size and real type, stored by SHA-256
under ``MEDIA_ROOT/council/`` once the transaction that records them commits (the inspections'
``PendingFile``: a failed transaction leaves no file behind)."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.council.models import Evidence, LedgerItem, LedgerStatus
from fairspot.council.rules import require_ledger_unit
from fairspot.inspections.services.attachments import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    PendingFile,
    detect_content_type,
    incoming_root,
)


def _checked_type(upload) -> tuple[str, str]:
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise DomainError(
            _("The file is %(size)s bytes; attachments may not exceed %(max)s bytes.")
            % {"size": upload.size, "max": ATTACHMENT_MAX_BYTES},
            field="file",
        )
    upload.seek(0)
    head = upload.read(16)
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
    return content_type, name


def evidence_add(*, actor, item: LedgerItem, upload, description: str = "") -> Evidence:
    require_ledger_unit(actor, item)
    content_type, name = _checked_type(upload)
    incoming = incoming_root()
    incoming.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=incoming, prefix="council-", suffix=".part", delete=False) as tmp:
        for chunk in upload.chunks():
            size += len(chunk)
            digest.update(chunk)
            tmp.write(chunk)
    if size > ATTACHMENT_MAX_BYTES:
        Path(tmp.name).unlink(missing_ok=True)
        raise DomainError(_("The file exceeds the size limit."), field="file")
    sha = digest.hexdigest()
    relative = f"council/{sha[:2]}/{sha}{ATTACHMENT_TYPES[content_type][1][0]}"
    pending = PendingFile(Path(tmp.name), Path(settings.MEDIA_ROOT) / relative)
    try:
        with transaction.atomic():
            item = LedgerItem.objects.select_for_update().get(pk=item.pk)
            if item.status == LedgerStatus.CLOSED:
                raise DomainError(_("The office has closed this item."))
            evidence = Evidence.objects.create(
                item=item,
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
                "council.evidence.added",
                item,
                data={"sha256": sha, "name": name, "size": size},
                department_id=item.department_id,
            )
            transaction.on_commit(pending.promote)
    except BaseException:
        pending.discard()
        raise
    return evidence
