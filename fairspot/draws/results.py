"""A revealed draw's rows in the database: the drawn targets and the matched teams.

A province's draw selects tens of thousands of targets, so identifiers are resolved in chunks (SQLite
allows some 32,000 parameters per statement) and teams with their members and experts are written in
batches, a few statements per thousand teams rather than three per team.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable

from fairspot.audit.services import record
from fairspot.directory.models import Target
from fairspot.draw import InfeasibleError, commit_bundle, reveal_bundle
from fairspot.draw.canonical import parse_canonical_json
from fairspot.draws import pool as pools
from fairspot.draws.files import draw_dir
from fairspot.draws.models import Draw, DrawnTarget, Team
from fairspot.inspectors.models import Inspector
from fairspot.reference.selectors import stratum_label, stratum_names

CHUNK = 5000


def target_pks(identifiers: Iterable[str]) -> dict[str, int]:
    """{identifier: pk} of the given targets, looked up a chunk at a time."""
    wanted = list(dict.fromkeys(identifiers))
    out: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        out.update(Target.objects.filter(identifier__in=chunk).values_list("identifier", "pk"))
    return out


def store_result(draw: Draw, result: dict) -> None:
    pks = target_pks(
        entry["id"] for stratum in result["strata"] for entry in stratum["selected"] + stratum["alternates"]
    )
    names = stratum_names()
    rows = []
    for stratum in result["strata"]:
        values = stratum.get("stratum", [])
        if draw.task.class_ratios:  # the class (last stratum column) is internal: not in the public label
            values = values[:-1]
        label = stratum_label(values, names)  # for people; codes stay in the bundle
        for alternate, part in ((False, "selected"), (True, "alternates")):
            for rank, entry in enumerate(stratum[part], start=1):
                rows.append(
                    DrawnTarget(
                        draw=draw,
                        target_id=pks[entry["id"]],
                        stratum=label,
                        rank=rank,
                        key=entry["key"],
                        # an alternate's chance is not the one it is drawn with: none is stored
                        inclusion_probability="" if alternate else entry.get("inclusion_probability", ""),
                        alternate=alternate,
                    )
                )
    DrawnTarget.objects.bulk_create(rows, batch_size=2000)


def _seed_source(draw: Draw) -> dict:
    return {
        "name": "target_draw_seed",
        "kind": "ceremony",
        "format": "^[0-9a-f]{64}$",
        "fallback": "none: the seed exists once the target draw is revealed",
        "description": f"seed of target draw {draw.draw_id} (manifest {draw.manifest_digest}), whose "
        f"manifest committed this inspector pool (sha256 {draw.pool_digest})",
    }


def match_teams(actor, draw: Draw, result: dict) -> None:
    """Match teams from the frozen pool; an impossible assignment is recorded, never a short team."""
    directory = draw_dir(draw.draw_id)
    pool = parse_canonical_json((directory / pools.POOL_FILE).read_bytes())
    drawn = list(
        draw.drawn.filter(alternate=False)
        .select_related("target")
        .values_list("target__identifier", "target__township_id")
    )
    if not drawn:
        return
    spec = pools.matching_spec(f"{draw.draw_id}-teams", pool, sorted(drawn), [_seed_source(draw)])
    try:
        digest = commit_bundle(directory / "teams", spec)
        reveal_bundle(directory / "teams", {"target_draw_seed": draw.seed})
    except InfeasibleError as exc:
        shutil.rmtree(directory / "teams", ignore_errors=True)
        draw.matching_problem = "\n".join(exc.problems) or str(exc)
        draw.save(update_fields=["matching_problem"])
        record(actor, "draws.teams.infeasible", draw, data={"problems": exc.problems})
        return
    teams = parse_canonical_json((directory / "teams" / "result.json").read_bytes())["teams"]
    _write_teams(draw, pool, teams)
    draw.matching_digest = digest
    draw.save(update_fields=["matching_digest"])
    record(actor, "draws.teams.matched", draw, data={"manifest_sha256": digest, "teams": len(teams)})


def _write_teams(draw: Draw, pool: dict, teams: list[dict]) -> None:
    staff = dict(
        Inspector.objects.filter(staff_no__in=[i["id"] for i in pool["inspectors"]]).values_list(
            "staff_no", "pk"
        )
    )
    targets = target_pks(t["target"] for t in teams)
    rows = Team.objects.bulk_create(  # both databases give the new rows their ids back
        [Team(draw=draw, target_id=targets[t["target"]], leader_id=staff[t["leader"]]) for t in teams],
        batch_size=2000,
    )
    members, experts = Team.members.through, Team.experts.through
    members.objects.bulk_create(
        [
            members(team_id=row.pk, inspector_id=staff[m["inspector"]])
            for row, team in zip(rows, teams, strict=True)
            for m in team["members"]
        ],
        batch_size=5000,
    )
    experts.objects.bulk_create(
        [
            experts(team_id=row.pk, expert_id=pk)
            for row, team in zip(rows, teams, strict=True)
            for pk in pools.expert_pks(team)
        ],
        batch_size=5000,
    )
