"""Keeping the read model (``PublishedResult``) in step with the published results.

The inspections app is upstream and knows nothing of open data. Every publication and correction is
written to the hash-chained audit log (``inspections.result.published`` / ``…corrected``), and so is
every change of a target or check item; the audit log is append-only and its primary key grows, so it
is an exact change feed. ``sync_from_audit`` takes in the entries after the stored cursor and
refreshes just the affected rows. It runs

- in ``manage.py build_opendata`` (daily, before the bulk files are written; ``--full`` rebuilds all),
- on read: the public page and the API call ``ensure_fresh``, which looks for new entries at most every
  ``FAIRSPOT_OPENDATA_SYNC_SECONDS`` (default 30) per process — one indexed query — and syncs when
  there are any.

``refresh_published_results(since=None)`` is the underlying function: without arguments it rebuilds
everything (and drops rows whose source is no longer published); with ``since`` it refreshes the
results published, corrected or whose target changed since then; with ``ids`` just those results.
A row is rewritten, and its ``updated_at`` moved, only when its published content changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.utils import timezone

from fairspot.audit.models import AuditEntry
from fairspot.core import pagecache
from fairspot.inspections.models import ResultCorrection, ResultStatus, VisitItem
from fairspot.inspections.selectors import shown_results
from fairspot.opendata.models import PublishedResult, SyncState
from fairspot.opendata.privacy import INDIVIDUAL, mask_text, public_target
from fairspot.plans.selectors import inspection_type

log = logging.getLogger(__name__)

CHUNK = 1000
LINE_ACTIONS = (
    "inspections.result.published",
    "inspections.result.corrected",
    "inspections.result.display_ended",
    "inspections.repair.decided",
)
TARGET_ACTIONS = ("directory.target.changed", "directory.target.deleted")
IMPORT_ACTIONS = ("directory.targets.imported",)
ITEM_ACTIONS = ("items.item.changed",)
WATCHED = LINE_ACTIONS + TARGET_ACTIONS + IMPORT_ACTIONS + ITEM_ACTIONS
CONTENT_FIELDS = [
    "target_identifier",
    "target_name",
    "entity_type",
    "legal_representative",
    "item_code",
    "item_name",
    "department",
    "authority",
    "plan_code",
    "plan_title",
    "task_code",
    "task_title",
    "inspection_type",
    "inspection_date",
    "completion_date",
    "result_code",
    "result_label",
    "remarks",
    "corrected",
    "published_at",
]


@dataclass
class RefreshReport:
    seen: int = 0
    written: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        return f"{self.seen} published results seen, {self.written} written, {self.deleted} removed"


def _source_lines():
    return (
        shown_results()
        .select_related(
            "visit__target",
            "visit__department",
            "item",
            "department",
            "result_code",
            "draw__task__batch_link__batch__plan",
        )
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=ResultCorrection.objects.select_related("result_code").order_by("created_at", "pk"),
            ),
            "visit__departments",
        )
        .order_by("published_at", "pk")
    )


def _inspection_type(task) -> tuple[str, str, str, str, str]:
    """(plan number, plan name, task number, task name, type) of the task a result was drawn in."""
    if task is None:
        return "", "", "", "", inspection_type(None)
    link = getattr(task, "batch_link", None)  # None: a task made outside a plan
    plan = link.batch.plan if link is not None else None
    return (
        plan.code if plan else "",
        plan.title if plan else "",
        task.code,
        task.title,
        inspection_type(task),
    )


def row_values(line: VisitItem) -> dict:
    """The published content of one result, masked; the keys are ``CONTENT_FIELDS``."""
    visit, target = line.visit, line.visit.target
    name, representative = public_target(target.name, target.legal_representative, target.entity_type)
    owner = (target.legal_representative,) if target.entity_type == INDIVIDUAL else ()
    code = line.current_code
    others = (d for d in visit.departments.all() if d.pk != visit.department_id)
    departments = [visit.department, *sorted(others, key=lambda d: (d.sort_order, d.code))]
    plan_code, plan_title, task_code, task_title, kind = _inspection_type(
        line.draw.task if line.draw_id else None
    )
    return {
        "target_identifier": target.identifier,
        "target_name": name,
        "entity_type": target.entity_type,
        "legal_representative": representative,
        "item_code": line.item.code,
        "item_name": line.item.name,
        "department": line.department.name,
        "authority": "、".join(d.name for d in departments),
        "plan_code": plan_code,
        "plan_title": plan_title,
        "task_code": task_code,
        "task_title": task_title,
        "inspection_type": kind,
        "inspection_date": visit.inspection_date,
        "completion_date": visit.end_date,
        "result_code": code.code if code else "",
        "result_label": code.label if code else "",
        "remarks": mask_text(line.current_remarks, names=owner),
        "corrected": bool(line.corrections.all()),
        "published_at": line.published_at,
    }


def _digest(values: dict) -> str:
    return hashlib.sha256(
        json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _write(lines, report: RefreshReport) -> set[int]:
    """Upsert the rows of ``lines`` whose content changed; return the source ids seen."""
    seen: set[int] = set()
    batch: list[VisitItem] = []

    def flush():
        if not batch:
            return
        known = dict(
            PublishedResult.objects.filter(source_id__in=[line.pk for line in batch]).values_list(
                "source_id", "digest"
            )
        )
        now = timezone.now()
        rows = []
        for line in batch:
            values = row_values(line)
            digest = _digest(values)
            if known.get(line.pk) != digest:
                rows.append(PublishedResult(source_id=line.pk, digest=digest, updated_at=now, **values))
        if rows:
            PublishedResult.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["source_id"],
                update_fields=[*CONTENT_FIELDS, "digest", "updated_at"],
            )
        report.written += len(rows)
        batch.clear()

    for line in lines.iterator(chunk_size=CHUNK):
        seen.add(line.pk)
        report.seen += 1
        batch.append(line)
        if len(batch) >= CHUNK:
            flush()
    flush()
    return seen


def refresh_published_results(since: datetime | None = None, *, ids=None) -> RefreshReport:
    """Bring the read model up to date: everything (no arguments), or what changed ``since``, or ``ids``."""
    report = RefreshReport()
    lines = _source_lines()
    if ids is not None:
        ids = {int(i) for i in ids}
        if not ids:
            return report
        lines = lines.filter(pk__in=ids)
    elif since is not None:
        changed = VisitItem.objects.filter(
            Q(published_at__gte=since)
            | Q(corrections__created_at__gte=since)
            | Q(visit__target__updated_at__gte=since)
        ).values("pk")
        lines = lines.filter(pk__in=changed)
    seen = _write(lines, report)
    if ids is not None:
        gone = PublishedResult.objects.filter(source_id__in=ids - seen)
        report.deleted = gone.delete()[0]
    elif since is None:
        published = shown_results().values("pk")
        report.deleted = PublishedResult.objects.exclude(source_id__in=published).delete()[0]
    return report


def _state() -> SyncState:
    state = SyncState.objects.filter(pk=1).first()
    if state is None:
        state, _ = SyncState.objects.get_or_create(pk=1)
    return state


def rebuild() -> RefreshReport:
    """Full rebuild; the audit cursor moves to the last entry that existed when it started."""
    upper = AuditEntry.objects.aggregate(m=Max("pk"))["m"] or 0
    report = refresh_published_results()
    now = timezone.now()
    _state()
    SyncState.objects.filter(pk=1).update(audit_cursor=upper, full_at=now, synced_at=now)
    return report


def sync_from_audit() -> RefreshReport:
    """Refresh the rows that audit entries after the stored cursor touched; advance the cursor."""
    state = _state()
    upper = AuditEntry.objects.aggregate(m=Max("pk"))["m"] or 0
    report = RefreshReport()
    if upper <= state.audit_cursor:
        return report
    entries = AuditEntry.objects.filter(pk__gt=state.audit_cursor, pk__lte=upper, action__in=WATCHED)
    line_ids: set[int] = set()
    target_ids: set[int] = set()
    item_ids: set[int] = set()
    imported_since = None
    for action, object_id, at in entries.values_list("action", "object_id", "at").iterator():
        if action in IMPORT_ACTIONS:
            imported_since = min(imported_since or at, at)
            continue
        if not object_id.isdigit():
            continue
        if action in LINE_ACTIONS:
            line_ids.add(int(object_id))
        elif action in TARGET_ACTIONS:
            target_ids.add(int(object_id))
        elif action in ITEM_ACTIONS:
            item_ids.add(int(object_id))
    if target_ids or item_ids:
        line_ids |= set(
            VisitItem.objects.filter(
                Q(visit__target_id__in=target_ids) | Q(item_id__in=item_ids), status=ResultStatus.PUBLISHED
            ).values_list("pk", flat=True)
        )
    # a line whose target was deleted keeps its published row until the next full rebuild
    line_ids |= set(
        PublishedResult.objects.filter(source_id__in=line_ids).values_list("source_id", flat=True)
    )
    part = refresh_published_results(ids=line_ids)
    report.seen, report.written, report.deleted = part.seen, part.written, part.deleted
    if imported_since is not None:
        part = refresh_published_results(since=imported_since - timedelta(minutes=5))
        report.seen += part.seen
        report.written += part.written
    SyncState.objects.filter(pk=1, audit_cursor=state.audit_cursor).update(
        audit_cursor=upper, synced_at=timezone.now()
    )
    return report


_last_check = float("-inf")


def ensure_fresh() -> None:
    """Called on read: at most every ``FAIRSPOT_OPENDATA_SYNC_SECONDS`` per process, take in new entries.

    Never raises: a failure is logged and the (slightly stale) read model is served.
    """
    global _last_check
    interval = settings.FAIRSPOT_OPENDATA_SYNC_SECONDS
    now = time.monotonic()
    if now - _last_check < interval:
        return
    _last_check = now
    try:
        cursor = SyncState.objects.filter(pk=1).values_list("audit_cursor", flat=True).first() or 0
        if AuditEntry.objects.filter(pk__gt=cursor, action__in=WATCHED).exists():
            with transaction.atomic():
                report = sync_from_audit()
            if report.written or report.deleted:
                pagecache.clear()
    except Exception:  # a read must not fail because the read model could not be refreshed
        log.exception("open data: synchronising the read model failed")
