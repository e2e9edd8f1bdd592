"""What draws tells the apps above it, without importing them (the visits live in ``inspections``).

``inspections`` registers its functions when Django starts (``InspectionsConfig.ready``):

* ``team_changed``: a drawn team changed (an officer replaced, or a re-matching revealed): the visits
  not yet begun take the new team; returns the ids of the visits changed.
* ``begun_targets``: the targets of a draw whose visit has begun (their team is kept by a re-matching).
"""

from __future__ import annotations

from collections.abc import Callable

TEAM_CHANGED_HOOKS: list[Callable[..., list[int]]] = []
BEGUN_TARGETS_HOOKS: list[Callable[..., set[int]]] = []


def on_team_changed(hook):
    if hook not in TEAM_CHANGED_HOOKS:
        TEAM_CHANGED_HOOKS.append(hook)
    return hook


def on_begun_targets(hook):
    if hook not in BEGUN_TARGETS_HOOKS:
        BEGUN_TARGETS_HOOKS.append(hook)
    return hook


def team_changed(*, draw, target, leaving, joining, old_leader, new_leader) -> list[int]:
    changed: list[int] = []
    for hook in TEAM_CHANGED_HOOKS:
        changed.extend(
            hook(
                draw=draw,
                target=target,
                leaving=leaving,
                joining=joining,
                old_leader=old_leader,
                new_leader=new_leader,
            )
        )
    return changed


def begun_targets(draw) -> set[int]:
    found: set[int] = set()
    for hook in BEGUN_TARGETS_HOOKS:
        found |= hook(draw=draw)
    return found
