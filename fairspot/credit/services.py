"""Writes of the credit room: classes from the credit system, recomputation, the hazard table.

The effective class (the riskier of the imported and the computed one) is written to
``directory.Target.risk_class`` together with a ``ClassChange`` row whenever it changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core import versions
from fairspot.core.errors import DomainError
from fairspot.credit import facts as gathering
from fairspot.credit.models import (
    ChangeKind,
    ClassChange,
    CreditStanding,
    HazardLevel,
    IndustryHazard,
    Recompute,
    RunStatus,
)
from fairspot.credit.rules import riskier, score
from fairspot.directory.models import Target

logger = logging.getLogger(__name__)
CHUNK = 2000
STALE_AFTER = timedelta(hours=2)  # a run of a million targets takes about a minute


def may_edit_credit(user) -> bool:
    """The joint-meeting office (and system administrators) keep the hazard table and recompute."""
    return bool(user.is_authenticated and user.sees_all_departments and user.can_manage)


def require_credit_editor(user) -> None:
    if not may_edit_credit(user):
        raise PermissionDenied(_("Only the joint-meeting office changes the credit-risk rules' tables."))


@dataclass
class NewClass:
    """What a write wants a target's standing to become."""

    target_id: int
    kind: str
    rules: list[str]
    evidence: list
    score: int | None = None


def _settle(
    standings: dict[int, CreditStanding],
    changes: list[NewClass],
    now,
    directory: dict[int, str] | None = None,
) -> int:
    """Set each standing's effective class from its imported and internal classes; record changes and
    write the class to the directory. ``directory``: the targets' class in the directory now; one typed
    or imported there since is put back to the effective class (without a change: the class did not
    change). Returns how many effective classes changed."""
    history, targets = [], []
    for change in changes:
        standing = standings[change.target_id]
        new = riskier(standing.imported_class, standing.internal_class)
        if new == standing.effective_class:
            if directory is not None and directory.get(change.target_id) != new:
                targets.append(Target(pk=change.target_id, risk_class=new))
            continue
        history.append(
            ClassChange(
                target_id=change.target_id,
                changed_at=now,
                kind=change.kind,
                old_class=standing.effective_class,
                new_class=new,
                rule=",".join(change.rules)[:500],
                evidence=change.evidence,
                score=change.score,
            )
        )
        standing.effective_class = new
        targets.append(Target(pk=change.target_id, risk_class=new))
    ClassChange.objects.bulk_create(history, batch_size=CHUNK)
    update_rows(Target, ["risk_class"], targets)
    return len(history)


def update_rows(model, fields: list[str], objs) -> None:
    """One parameterised UPDATE per row by primary key, sent with ``executemany`` (Django's
    ``bulk_update`` builds a CASE expression per field that grows with the batch: slow at 2,000 rows)."""
    if not objs:
        return
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(f) for f in fields]
    sets = ", ".join(f"{qn(c.column)} = %s" for c in columns)
    table, key = qn(model._meta.db_table), qn(model._meta.pk.column)
    sql = f"UPDATE {table} SET {sets} WHERE {key} = %s"  # noqa: S608 - names quoted from the model
    params = [[c.get_db_prep_save(getattr(o, c.attname), connection) for c in columns] + [o.pk] for o in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    versions.bump()  # raw writes send no signals (e.g. targets' credit classes, which strata use)


def _standings(pks: list[int]) -> dict[int, CreditStanding]:
    have = {s.target_id: s for s in CreditStanding.objects.filter(target_id__in=pks)}
    missing = [CreditStanding(target_id=pk) for pk in pks if pk not in have]
    if missing:
        CreditStanding.objects.bulk_create(missing, batch_size=CHUNK)
        have.update(
            {
                s.target_id: s
                for s in CreditStanding.objects.filter(target_id__in=[m.target_id for m in missing])
            }
        )
    return have


STANDING_FIELDS = [
    "imported_class",
    "imported_on",
    "imported_source",
    "internal_class",
    "score",
    "reasons",
    "effective_class",
    "computed_at",
]


# --- imports from the credit system ----------------------------------------------------------------
def classes_import(rows: list[tuple[int, str, date, str]]) -> int:
    """Write imported classes ``(target pk, class, classified on, source)`` (inside the import's
    transaction). Returns how many effective classes changed."""
    now = timezone.now()
    standings = _standings([r[0] for r in rows])
    changes = []
    for pk, cls, on, source in rows:
        standing = standings[pk]
        standing.imported_class, standing.imported_on, standing.imported_source = cls, on, source
        evidence = [{"rule": "imported", "class": cls, "on": on.isoformat(), "source": source}]
        changes.append(NewClass(pk, ChangeKind.IMPORTED, ["imported"], evidence))
    changed = _settle(standings, changes, now)
    update_rows(CreditStanding, STANDING_FIELDS, list(standings.values()))
    return changed


# --- recomputation ---------------------------------------------------------------------------------
def recompute_chunk(
    targets: list[Target], *, today: date, hazards: dict[str, int], now, names: dict[str, str] | None = None
) -> int:
    facts = gathering.gather(targets, today=today, hazards=hazards, names=names)
    standings = _standings([t.pk for t in targets])
    changes, before = [], {}
    for target in targets:
        points, cls, reasons = score(facts[target.pk])
        standing = standings[target.pk]
        before[target.pk] = (
            standing.internal_class,
            standing.score,
            standing.reasons,
            standing.effective_class,
        )
        standing.internal_class, standing.score, standing.reasons = cls, points, reasons
        rules = [r["rule"] for r in reasons] or ["no_findings"]
        changes.append(NewClass(target.pk, ChangeKind.COMPUTED, rules, reasons, points))
    changed = _settle(standings, changes, now, {t.pk: t.risk_class for t in targets})
    moved = [
        s
        for pk, s in standings.items()
        if before[pk] != (s.internal_class, s.score, s.reasons, s.effective_class)
    ]
    update_rows(CreditStanding, ["internal_class", "score", "reasons", "effective_class"], moved)
    CreditStanding.objects.filter(target_id__in=list(standings)).update(computed_at=now)
    return changed


def recompute_run(run: Recompute, *, today: date | None = None) -> Recompute:
    """Recompute every target's class, chunk by chunk (each chunk its own transaction, so the progress
    is visible and a stopped run leaves consistent classes); one audit entry at the end."""
    today = today or timezone.localdate()
    if not Recompute.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING):
        run.refresh_from_db()
        return run
    hazards, names = gathering.hazard_levels(), gathering.division_names()
    now = timezone.now()
    queryset = Target.objects.only("pk", "abnormal", "industry_code", "risk_class").order_by("pk")
    run.total = queryset.count()
    run.save(update_fields=["total"])
    last = 0
    try:
        while True:
            chunk = list(queryset.filter(pk__gt=last)[:CHUNK])
            if not chunk:
                break
            with transaction.atomic():
                run.changed += recompute_chunk(chunk, today=today, hazards=hazards, now=now, names=names)
            last = chunk[-1].pk
            run.done += len(chunk)
            run.save(update_fields=["done", "changed"])
    except Exception as exc:
        run.status, run.error, run.finished_at = RunStatus.FAILED, repr(exc)[:2000], timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    with transaction.atomic():
        run.status, run.finished_at = RunStatus.DONE, timezone.now()
        run.save(update_fields=["status", "finished_at"])
        record(
            run.requested_by,
            "credit.classes.recomputed",
            run,
            data={"targets": run.total, "changed": run.changed, "on": today.isoformat()},
        )
    return run


def reap_stale_runs() -> int:
    """Mark failed the runs left queued or running longer than ``STALE_AFTER`` (their worker died; the
    chunks it finished stay written): otherwise they would block every later run."""
    cutoff = timezone.now() - STALE_AFTER
    return Recompute.objects.filter(
        status__in=(RunStatus.QUEUED, RunStatus.RUNNING), created_at__lt=cutoff
    ).update(status=RunStatus.FAILED, error="interrupted", finished_at=timezone.now())


def recompute_request(*, actor) -> Recompute:
    """The office's button: queue a recomputation for the worker (at once in tests)."""
    require_credit_editor(actor)
    reap_stale_runs()
    if Recompute.objects.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).exists():
        raise DomainError(_("A recomputation of the classes is already under way."))
    with transaction.atomic():
        run = Recompute.objects.create(requested_by=actor)
        record(actor, "credit.classes.recompute_requested", run)
    from fairspot.credit.tasks import recompute_classes

    if settings.FAIRSPOT_JOBS_INLINE:
        recompute_classes.call(str(run.pk))
    else:
        transaction.on_commit(partial(recompute_classes.enqueue, str(run.pk)))
    run.refresh_from_db()
    return run


# --- the hazard table ------------------------------------------------------------------------------
@transaction.atomic
def hazard_set(*, actor, division, level: int, note: str = "") -> IndustryHazard:
    require_credit_editor(actor)
    if division.level != "division":
        raise DomainError(_("Hazard levels are set per industry division (two digits)."), field="division")
    if level not in HazardLevel.values:
        raise DomainError(_("Choose a hazard level."), field="level")
    row = IndustryHazard.objects.filter(pk=division.pk).first()
    before = {"level": row.level, "note": row.note} if row else {}
    row = row or IndustryHazard(division=division)
    row.level, row.note, row.updated_by = level, note.strip()[:255], actor
    row.full_clean()
    row.save()
    record(
        actor,
        "credit.hazard.changed",
        row,
        changes={
            k: [before.get(k), v] for k, v in {"level": level, "note": row.note}.items() if before.get(k) != v
        },
    )
    return row
