"""Changing a team after the draw (更换检查人员): one officer out, the protocol's rule picks who comes in.

The officer who joins is not chosen by anyone: it is the first eligible officer of the frozen pool in
the draw's own replacement-key order (docs/draw-protocol.md §7.7). The whole log is rewritten into
``teams/replacements.json`` of the draw's bundle, which ``verify`` recomputes; each replacement is
audited with its reason, and the original team stays visible on the draw page.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_department
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.draw import DrawError
from fairspot.draw.bundle import add_to_bundle, read_bundle
from fairspot.draw.canonical import canonical_json, parse_canonical_json
from fairspot.draw.replace import REPLACEMENTS_FILE, replacements_document
from fairspot.draws import hooks
from fairspot.draws.files import draw_dir
from fairspot.draws.models import Draw, DrawStatus, ReplacementReason, Team, TeamReplacement
from fairspot.inspectors.models import Inspector


def _requests(draw: Draw, rematch=None) -> list[dict[str, str]]:
    """The replacement log of one matching bundle: the draw's ``teams/`` or a re-matching's."""
    rows = (
        TeamReplacement.objects.filter(team__draw=draw, team__rematch=rematch)
        .select_related("team__target", "officer_out")
        .order_by("seq")
    )
    return [
        {"task": r.team.target.identifier, "out": r.officer_out.staff_no, "reason": r.reason, "note": r.note}
        for r in rows
    ]


def replace_officer(*, actor, team: Team, officer: Inspector, reason: str, note: str = "") -> TeamReplacement:
    """Replace ``officer`` on ``team`` by the protocol's rule; audited; refuses an officer not on the team."""
    require_department(actor, team.draw.task.department_id)
    note = (note or "").strip()
    if reason not in ReplacementReason.values:
        raise DomainError(_("Choose why the officer is replaced."), field="reason")
    if reason == ReplacementReason.OTHER and not note:
        raise DomainError(_("Explain the reason when it is “other”."), field="note")
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=team.draw_id)
        team = Team.objects.select_related("target", "leader", "rematch").get(pk=team.pk)
        if draw.status != DrawStatus.REVEALED or not draw.matching_digest:
            raise DomainError(_("Only the teams of a revealed draw can be changed."))
        if not team.current:
            raise DomainError(_("This team was superseded by a re-matching; change the current team."))
        if not team.members.filter(pk=officer.pk).exists():
            raise DomainError(
                _("%(name)s is not on the team for %(target)s; nothing was changed.")
                % {"name": officer.name, "target": team.target.name},
                field="officer",
            )
        rematch = team.rematch
        directory = draw_dir(draw.draw_id) / (rematch.dirname if rematch else "teams")
        try:
            files = read_bundle(directory)
            manifest = parse_canonical_json(files["manifest.json"])
            result = parse_canonical_json(files["result.json"])
            requests = [
                *_requests(draw, rematch),
                {"task": team.target.identifier, "out": officer.staff_no, "reason": reason, "note": note},
            ]
            document = replacements_document(manifest, result, requests)
        except (DrawError, KeyError) as exc:
            message = getattr(exc, "message", str(exc))
            raise DomainError(_("The team cannot be changed: %(why)s") % {"why": message}) from exc
        entry = document["replacements"][-1]
        newcomer = Inspector.objects.get(staff_no=entry["in"])
        log = TeamReplacement.objects.filter(team__draw=draw, team__rematch=rematch)
        seq = (log.aggregate(m=Max("seq"))["m"] or 0) + 1
        row = TeamReplacement.objects.create(
            team=team,
            seq=seq,
            slot=entry["slot"],
            officer_out=officer,
            officer_in=newcomer,
            reason=reason,
            note=note,
            created_by=actor,
        )
        team.members.remove(officer)
        team.members.add(newcomer)
        if entry["slot"] == 0:
            team.leader = newcomer
            team.save(update_fields=["leader"])
        visits = hooks.team_changed(
            draw=draw,
            target=team.target,
            leaving=[officer],
            joining=[newcomer],
            old_leader=officer,  # if the officer led the visit, the newcomer leads it
            new_leader=newcomer,
        )
        record(
            actor,
            "draws.team.officer_replaced",
            draw,
            data={
                "target": team.target.identifier,
                "out": officer.staff_no,
                "in": newcomer.staff_no,
                "slot": entry["slot"],
                "seq": seq,
                "reason": reason,
                "note": note,
                "visits": visits,
            },
        )
        add_to_bundle(directory, files, {REPLACEMENTS_FILE: canonical_json(document)})
    return row
