"""Keeping visits in step with their drawn team (registered with ``fairspot.draws.hooks``)."""

from __future__ import annotations

from fairspot.inspections.models import ResultStatus, Visit, VisitStatus


def sync_team(*, draw, target, leaving, joining, old_leader, new_leader) -> list[int]:
    """The visits of ``draw`` at ``target`` not yet begun take the new team (and leader). A finished
    visit keeps the team that inspected. Returns the ids of the visits changed."""
    changed = []
    for visit in Visit.objects.filter(draws=draw, target=target, status=VisitStatus.PLANNED):
        visit.members.remove(*leaving)
        visit.members.add(*joining)
        if old_leader is not None and visit.leader_id == old_leader.pk and new_leader is not None:
            visit.leader = new_leader
            visit.save(update_fields=["leader"])
        changed.append(visit.pk)
    return changed


def begun_targets(*, draw) -> set[int]:
    """Targets of ``draw`` whose visit has begun: field work finished, or a result entered."""
    visits = Visit.objects.filter(draws=draw)
    begun = set(visits.exclude(status=VisitStatus.PLANNED).values_list("target_id", flat=True))
    entered = visits.filter(
        lines__status__in=[s for s in ResultStatus.values if s != ResultStatus.NOT_ENTERED]
    ).values_list("target_id", flat=True)
    return begun | set(entered)
