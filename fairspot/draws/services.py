"""Writes of the draw workflow: task, commit, source entry, reveal (with team matching). Each is audited.

Order of events (see docs/draw-protocol.md and docs/draws.md):
1. ``task_create``: the task's items, scope, ratio and team rules.
2. ``draw_commit``: freeze population (with exclusions) and inspector pool, write the bundle, publish
   the manifest digest. A new commit for a task that already has a draw must name the draw it abandons
   and say why; the abandoned draw stays visible.
3. ``source_enter``: officers enter each declared source's value once it exists (two different officers
   for public numbers and ceremonies: both entries must agree).
4. ``draw_reveal``: compute the result from the committed bundle and the sources, store the drawn
   targets, then match teams from the frozen pool with the draw's seed.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import department_for_write, require_department
from fairspot.audit.services import record
from fairspot.core.collector import collector_paused
from fairspot.core.errors import DomainError
from fairspot.draw import DrawError, commit_bundle
from fairspot.draw.canonical import sha256_hex
from fairspot.draws import classes as class_rules
from fairspot.draws import pool as pools
from fairspot.draws import pps
from fairspot.draws.files import StagedBundle, draw_dir, draw_files_exist
from fairspot.draws.models import Draw, DrawStatus, SourceValue, Task, TaskKind
from fairspot.draws.population import freeze
from fairspot.draws.results import match_teams as _match
from fairspot.draws.results import store_result as _store_result
from fairspot.draws.reveal_path import reveal_targets
from fairspot.draws.source_kinds import format_in_words
from fairspot.items.models import ItemType

TWO_PERSON_KINDS = frozenset({"public_number", "ceremony"})


# --- tasks ---------------------------------------------------------------------------------------
@transaction.atomic
def task_create(*, actor, values: dict[str, Any], items, participating=()) -> Task:
    values = dict(values)
    values["department"] = department_for_write(actor, values.get("department"))
    require_department(actor, values["department"].pk)
    items = list(items)
    if not items:
        raise DomainError(_("A task needs at least one check item."), field="items")
    # a special inspection (专项检查) sets its own ratio; routine tasks stay within the items' caps
    routine = values.get("kind", TaskKind.ROUTINE) == TaskKind.ROUTINE
    for item in items:
        capped = item.item_type == ItemType.GENERAL and item.ratio_cap is not None
        if routine and capped and values["ratio"] > item.ratio_cap:
            raise DomainError(
                _("The ratio %(ratio)s exceeds the cap %(cap)s of item %(item)s.")
                % {"ratio": values["ratio"], "cap": item.ratio_cap, "item": item.code},
                field="ratio",
            )
    if values.get("class_ratios", "").strip():
        class_rules.check_task(values, items, routine)
    pps.check_floor(values)
    if values.get("team_size", 2) < 2:
        raise DomainError(_("A team has at least two officers."), field="team_size")
    task = Task(created_by=actor, **values)
    task.full_clean()
    task.save()
    task.items.set(items)
    task.participating_departments.set(list(participating))
    record(
        actor,
        "draws.task.created",
        task,
        data={
            "items": [i.code for i in items],
            "ratio": str(task.ratio),
            "design": task.design,
            "class_ratios": task.class_ratios,
        },
    )
    return task


# --- commit --------------------------------------------------------------------------------------
def _spec(task: Task, draw_id: str, frozen, sources: list[dict], pool_digest: str, committed_at) -> dict:
    stratify = [c for c in frozen.columns if c not in ("id", "weight")]
    spec = {
        "draw_id": draw_id,
        "title": task.title,
        "created_at": committed_at.isoformat(timespec="seconds"),
        "design": task.design,
        "stratify_by": stratify,
        "ratio": format(task.ratio.normalize(), "f"),
        "alternates": task.alternates,
        "exclusions": frozen.exclusions,
        "sources": sources,
        "annex": {"inspector_pool_sha256": pool_digest, "task": task.code},
    }
    if task.design == "pps":  # πps is committed under fairspot-draw/2: exact inclusion probabilities
        pps.add_to_spec(spec, task, frozen)
    if frozen.classes and task.class_ratios:
        class_rules.add_to_spec(spec, task, frozen)
    return spec


@collector_paused()
def draw_commit(
    *, actor, task: Task, sources: list[dict], replaces: Draw | None = None, reason: str = ""
) -> Draw:
    """Freeze and commit. Nothing is written when the engine refuses the spec or the population."""
    require_department(actor, task.department_id)
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        live = task.draws.exclude(status=DrawStatus.ABANDONED).first()
        if live is not None and (replaces is None or replaces.pk != live.pk):
            raise DomainError(
                _("This task already has draw %(id)s; a new draw must name it and say why.")
                % {"id": live.draw_id}
            )
        if replaces is not None and not reason.strip():
            raise DomainError(_("Say why the earlier draw is abandoned."), field="reason")
        number = (task.draws.aggregate(n=Max("number"))["n"] or 0) + 1
        draw_id = f"{task.code}-{number}"
        frozen = freeze(task)
        if not frozen.rows:
            raise DomainError(_("The population is empty: no target matches the task's scope."))
        if frozen.classes and task.class_ratios:
            class_rules.check_frame(task, frozen)
        pool = pools.freeze_pool(task)
        if pools.expert_shortage(pool):
            raise DomainError(
                _(
                    "The task asks for %(n)s expert(s) per team, but the expert pool of its departments has "
                    "only %(have)s active expert(s) with the required expertise."
                )
                % {"n": task.experts_per_team, "have": task.experts_per_team - pools.expert_shortage(pool)},
                field="experts_per_team",
            )
        pool_data = pools.pool_bytes(pool)
        pool_digest = sha256_hex(pool_data)
        now = timezone.now()
        spec = _spec(task, draw_id, frozen, sources, pool_digest, now)
        if draw_files_exist(draw_id):
            raise DomainError(_("Files of draw %(id)s already exist on the server.") % {"id": draw_id})
        staged = StagedBundle(draw_id)
        try:
            size = len(frozen.rows)
            digest = commit_bundle(staged.path / "targets", spec, frozen.row_tuples())
        except DrawError as exc:
            staged.discard()
            raise DomainError(str(exc)) from exc
        (staged.path / pools.POOL_FILE).write_bytes(pool_data)
        if frozen.classes:  # staff only: the classes the draw was made of (digest in the manifest)
            if task.design == "pps":  # fairspot-draw/2 §5.10
                (staged.path / pps.SNAPSHOT_FILE).write_bytes(pps.snapshot_bytes(frozen.classes))
            else:
                snapshot = class_rules.snapshot_bytes(frozen.classes)
                (staged.path / class_rules.SNAPSHOT_FILE).write_bytes(snapshot)
        try:
            draw = Draw.objects.create(
                task=task,
                number=number,
                draw_id=draw_id,
                manifest_digest=digest,
                pool_digest=pool_digest,
                population_size=size,
                excluded=len(frozen.exclusions),
                sources=sources,
                committed_at=now,
                committed_by=actor,
                replaces=replaces,
                replace_reason=reason.strip(),
            )
            if replaces is not None:
                Draw.objects.filter(pk=replaces.pk).update(status=DrawStatus.ABANDONED)
                record(
                    actor, "draws.draw.abandoned", replaces, data={"reason": reason, "replaced_by": draw_id}
                )
            record(
                actor,
                "draws.draw.committed",
                draw,
                data={
                    "manifest_sha256": digest,
                    "inspector_pool_sha256": pool_digest,
                    "population": size,
                    "excluded": len(frozen.exclusions),
                    "sources": [s["name"] for s in sources],
                },
            )
        except Exception:
            transaction.set_rollback(True)
            staged.discard()
            raise
        transaction.on_commit(staged.promote)
    return draw


# --- sources -------------------------------------------------------------------------------------
def declaration(declarations: list[dict], name: str) -> dict:
    for decl in declarations:
        if decl["name"] == name:
            return decl
    raise DomainError(_("The draw declares no source named %(name)s.") % {"name": name})


def confirmed_values(draw: Draw) -> dict[str, str]:
    """Source name → value for every source whose entries are complete and agree."""
    return confirmed(draw.sources, draw.source_values.all())


def require_all_confirmed(declarations: list[dict], values: dict[str, str]) -> dict[str, str]:
    """The confirmed values, or a refusal naming every declared source still waiting for its value."""
    missing = [d["name"] for d in declarations if d["name"] not in values]
    if missing:
        raise DomainError(_("Waiting for source(s): %(names)s.") % {"names": ", ".join(missing)})
    return values


def confirmed(declarations: list[dict], values, stored_name=lambda name: name) -> dict[str, str]:
    """Declared name → value for each declaration whose entries (stored under ``stored_name``) agree."""
    out = {}
    entries: dict[str, list[str]] = {}
    for value in values:
        entries.setdefault(value.name, []).append(value.value)
    for decl in declarations:
        values = entries.get(stored_name(decl["name"]), [])
        needed = 2 if decl["kind"] in TWO_PERSON_KINDS else 1
        if len(values) >= needed and len(set(values)) == 1:
            out[decl["name"]] = values[0]
    return out


class _Mismatch(DomainError):
    def __init__(self, message, *, first: str, second: str):
        super().__init__(message, field="value")
        self.first, self.second = first, second


def audit_mismatch(enter):
    """Run an entry; a second entry that disagrees is refused, and the disagreement itself stays in the
    audit log (written after the refused entry is rolled back)."""

    def wrapper(*, actor, name: str, **kwargs):
        try:
            return enter(actor=actor, name=name, **kwargs)
        except _Mismatch as exc:
            subject = kwargs.get("draw") or kwargs.get("rematch")
            with transaction.atomic():
                record(
                    actor,
                    "draws.source.mismatch",
                    subject,
                    data={"source": name, "first": exc.first, "second": exc.second},
                )
            raise

    return wrapper


@audit_mismatch
@transaction.atomic
def source_enter(*, actor, draw: Draw, name: str, value: str) -> SourceValue:
    """Record an officer's entry of a source value of a draw waiting for its randomness."""
    require_department(actor, draw.task.department_id)
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if draw.status != DrawStatus.COMMITTED:
        raise DomainError(_("Source values are entered only while the draw waits for its randomness."))
    return enter_value(actor=actor, draw=draw, decl=declaration(draw.sources, name), value=value)


def enter_value(*, actor, draw: Draw, decl: dict, value: str, stored_name: str = "", subject=None):
    """One officer's entry of a declared source's value (the caller holds the lock and checked state):
    the declared format, one entry per officer, a second officer's entry must agree."""
    stored_name = stored_name or decl["name"]
    value = value.strip()
    if not re.fullmatch(decl["format"], value):
        raise DomainError(
            _("“%(value)s” is not what this source gives: expected %(what)s.")
            % {"value": value[:80], "what": format_in_words(decl["format"])},
            field="value",
        )
    earlier = list(draw.source_values.filter(name=stored_name))
    if any(e.entered_by_id == actor.pk for e in earlier):
        raise DomainError(_("You have already entered this source; a second officer must confirm it."))
    if earlier and earlier[0].value != value:
        raise _Mismatch(
            _("This value differs from the one entered by %(user)s; check the published number.")
            % {"user": earlier[0].entered_by.get_username()},
            first=earlier[0].value,
            second=value,
        )
    if decl["kind"] not in TWO_PERSON_KINDS and earlier:
        raise DomainError(_("This source's value is already entered."))
    entry = SourceValue.objects.create(draw=draw, name=stored_name, value=value, entered_by=actor)
    record(
        actor,
        "draws.source.entered",
        subject or draw,
        data={"source": stored_name, "value": value, "entry": len(earlier) + 1},
    )
    return entry


# --- reveal --------------------------------------------------------------------------------------
@collector_paused()
def draw_reveal(*, actor, draw: Draw) -> Draw:
    require_department(actor, draw.task.department_id)
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("task").get(pk=draw.pk)
        if draw.status == DrawStatus.REVEALED:
            raise DomainError(_("This draw has already been revealed; a draw is revealed once."))
        if draw.status != DrawStatus.COMMITTED:
            raise DomainError(_("An abandoned draw is not revealed."))
        values = require_all_confirmed(draw.sources, confirmed_values(draw))
        directory = draw_dir(draw.draw_id)
        try:
            result, computed_in = reveal_targets(draw, directory / "targets", values)
        except DrawError as exc:
            raise DomainError(str(exc)) from exc
        try:
            _store_result(draw, result)
            draw.status = DrawStatus.REVEALED
            draw.seed = result["seed"]
            draw.result_digest = sha256_hex((directory / "targets" / "result.json").read_bytes())
            draw.revealed_at = timezone.now()
            draw.save(update_fields=["status", "seed", "result_digest", "revealed_at"])
            record(
                actor,
                "draws.draw.revealed",
                draw,
                data={
                    "seed": draw.seed,
                    "result_sha256": draw.result_digest,
                    "selected": result["selected_total"],
                    "computed_in": computed_in,
                },
            )
            _match(actor, draw, result)
        except Exception:
            transaction.set_rollback(True)
            for name in ("sources.json", "result.json"):
                (directory / "targets" / name).unlink(missing_ok=True)
            raise
    return draw
