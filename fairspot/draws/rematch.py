"""Re-matching a revealed draw's teams against the pool as it is now (重新匹配检查组).

When the pool has changed enough that replacing officers one by one (§7.7) is not the right tool — a
department reorganised, many certificates lapsed, a new rule — the office re-matches the whole draw.
It is a new, audited step with its own commitment, never a silent redo:

1. ``rematch_commit`` freezes the pool as it is now, declares new randomness sources (their values do
   not exist yet) and commits a new matching bundle ``rematch-<n>/`` beside the draw's ``teams/``. The
   targets whose visit has already begun keep their team and are listed.
2. Officers enter the sources' values (two officers for public numbers and ceremonies).
3. ``rematch_reveal`` computes the new teams. The earlier teams stay, marked superseded, on the draw
   page and in the bundle; visits not yet begun get the new team.

docs/draw-protocol.md §8 states the rule; ``verify`` checks every re-matching bundle like the first.
"""

from __future__ import annotations

import shutil

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_department
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.draw import DrawError, InfeasibleError, commit_bundle, reveal_bundle
from fairspot.draw.canonical import canonical_json, parse_canonical_json, sha256_hex
from fairspot.draws import hooks, services
from fairspot.draws import pool as pools
from fairspot.draws.models import Draw, DrawStatus, Rematch, SourceValue, Team
from fairspot.inspectors.models import Inspector


def _team_doc(team: Team) -> dict:
    doc = {
        "target": team.target.identifier,
        "leader": team.leader.staff_no,
        "members": sorted(m.staff_no for m in team.members.all()),
    }
    experts = sorted(pools.expert_id(e.pk) for e in team.experts.all())
    if experts:
        doc["experts"] = experts
    return doc


def confirmed_values(rematch: Rematch) -> dict[str, str]:
    values = rematch.draw.source_values.filter(name__startswith=f"{rematch.dirname}.")
    return services.confirmed(rematch.sources, values, rematch.value_name)


def rematch_commit(*, actor, draw: Draw, sources: list[dict], reason: str) -> Rematch:
    """Freeze the pool now, commit a new matching bundle with new sources. Nothing is written when
    the engine refuses (e.g. no full team assignment exists: the problems are listed)."""
    require_department(actor, draw.task.department_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the teams are matched again."), field="reason")
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("task").get(pk=draw.pk)
        if draw.status != DrawStatus.REVEALED or not draw.matching_digest:
            raise DomainError(_("Only the teams of a revealed draw can be matched again."))
        pending = draw.rematches.filter(status=DrawStatus.COMMITTED).first()
        if pending is not None:
            raise DomainError(
                _("Re-matching %(id)s is still waiting for its randomness; reveal it first.")
                % {"id": pending.bundle_id}
            )
        teams = list(
            draw.teams.filter(current=True)
            .select_related("target", "leader")
            .prefetch_related("members", "experts")
            .order_by("target__identifier")
        )
        begun = hooks.begun_targets(draw)
        moving = [t for t in teams if t.target_id not in begun]
        kept = [t.target.identifier for t in teams if t.target_id in begun]
        if not moving:
            raise DomainError(_("Every visit of this draw has begun; no team can be matched again."))
        superseded = canonical_json({"teams": [_team_doc(t) for t in moving]})
        number = (draw.rematches.aggregate(n=Max("number"))["n"] or 0) + 1
        rematch = Rematch(draw=draw, number=number)
        pool = pools.freeze_pool(draw.task, exclude_draw=draw)
        targets = [(t.target.identifier, t.target.township_id or "") for t in moving]
        title = (
            f"{draw.task.code}: re-matching {number} of draw {draw.draw_id}, "
            f"superseding teams sha256 {sha256_hex(superseded)}"
        )
        spec = pools.matching_spec(rematch.bundle_id, pool, targets, sources, title=title)
        directory = services.draw_dir(draw.draw_id) / rematch.dirname
        if directory.exists():
            raise DomainError(_("Files of %(id)s already exist on the server.") % {"id": rematch.bundle_id})
        try:
            digest = commit_bundle(directory, spec)
        except InfeasibleError as exc:
            shutil.rmtree(directory, ignore_errors=True)
            problems = "；".join(exc.problems[:5]) or str(exc)
            raise DomainError(
                _("No full team assignment exists with the pool as it is now; nothing was changed. %(why)s")
                % {"why": problems}
            ) from exc
        except DrawError as exc:
            shutil.rmtree(directory, ignore_errors=True)
            raise DomainError(str(exc)) from exc
        try:
            rematch.reason = reason
            rematch.sources = sources
            rematch.manifest_digest = digest
            rematch.supersedes_digest = sha256_hex(superseded)
            rematch.kept = kept
            rematch.committed_at = timezone.now()
            rematch.committed_by = actor
            rematch.save()
            record(
                actor,
                "draws.teams.rematch_committed",
                draw,
                data={
                    "rematch": rematch.bundle_id,
                    "reason": reason,
                    "manifest_sha256": digest,
                    "supersedes_sha256": rematch.supersedes_digest,
                    "targets": len(moving),
                    "kept": kept,
                    "sources": [s["name"] for s in sources],
                },
            )
        except Exception:
            transaction.set_rollback(True)
            shutil.rmtree(directory, ignore_errors=True)
            raise
    return rematch


@services.audit_mismatch
@transaction.atomic
def rematch_source_enter(*, actor, rematch: Rematch, name: str, value: str) -> SourceValue:
    require_department(actor, rematch.draw.task.department_id)
    rematch = Rematch.objects.select_for_update().select_related("draw").get(pk=rematch.pk)
    if rematch.status != DrawStatus.COMMITTED:
        raise DomainError(_("Source values are entered only while the draw waits for its randomness."))
    return services.enter_value(
        actor=actor,
        draw=rematch.draw,
        decl=services.declaration(rematch.sources, name),
        value=value,
        stored_name=rematch.value_name(name),
        subject=rematch.draw,
    )


def rematch_reveal(*, actor, rematch: Rematch) -> Rematch:
    """Compute the new teams; the superseded ones stay visible; visits not begun get the new team."""
    require_department(actor, rematch.draw.task.department_id)
    with transaction.atomic():
        rematch = Rematch.objects.select_for_update().select_related("draw", "draw__task").get(pk=rematch.pk)
        draw = rematch.draw
        if rematch.status != DrawStatus.COMMITTED:
            raise DomainError(_("This re-matching has already been revealed."))
        values = services.require_all_confirmed(rematch.sources, confirmed_values(rematch))
        directory = services.draw_dir(draw.draw_id) / rematch.dirname
        try:
            reveal_bundle(directory, values)
        except DrawError as exc:
            raise DomainError(str(exc)) from exc
        try:
            changes = _install_teams(draw, rematch, directory)
            rematch.status = DrawStatus.REVEALED
            rematch.result_digest = sha256_hex((directory / "result.json").read_bytes())
            rematch.seed = parse_canonical_json((directory / "result.json").read_bytes())["seed"]
            rematch.revealed_at = timezone.now()
            rematch.save(update_fields=["status", "result_digest", "seed", "revealed_at"])
            record(
                actor,
                "draws.teams.rematched",
                draw,
                data={
                    "rematch": rematch.bundle_id,
                    "seed": rematch.seed,
                    "result_sha256": rematch.result_digest,
                    "changes": changes,
                },
            )
        except Exception:
            transaction.set_rollback(True)
            for name in ("sources.json", "result.json"):
                (directory / name).unlink(missing_ok=True)
            raise
    return rematch


def _install_teams(draw: Draw, rematch: Rematch, directory) -> list[dict]:
    result = parse_canonical_json((directory / "result.json").read_bytes())
    ids = {m["inspector"] for team in result["teams"] for m in team["members"]}
    staff = {i.staff_no: i for i in Inspector.objects.filter(staff_no__in=ids)}
    old_teams = {
        t.target.identifier: t
        for t in draw.teams.filter(current=True)
        .select_related("target", "leader")
        .prefetch_related("members", "experts")
    }
    changes = []
    for entry in result["teams"]:
        old = old_teams[entry["target"]]
        members = [staff[m["inspector"]] for m in entry["members"]]
        leader = staff[entry["leader"]]
        before = _team_doc(old)
        Team.objects.filter(pk=old.pk).update(current=False)
        team = Team.objects.create(draw=draw, target=old.target, leader=leader, rematch=rematch)
        team.members.set(members)
        team.experts.set(pools.expert_pks(entry))
        hooks.team_changed(
            draw=draw,
            target=old.target,
            leaving=[m for m in old.members.all() if m not in members],
            joining=members,
            old_leader=old.leader,
            new_leader=leader,
        )
        changes.append({"before": before, "after": _team_doc(team)})
    return changes
