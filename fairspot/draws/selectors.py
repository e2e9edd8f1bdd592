"""Reads of tasks and draws: department staff see their own department's; the office sees all."""

import io
import zipfile

from django.db.models import QuerySet

from fairspot.accounts.scoping import scope_to_department
from fairspot.draw.canonical import parse_canonical_json
from fairspot.draws.files import committed_manifest, draw_dir
from fairspot.draws.models import Draw, Task
from fairspot.draws.pool import POOL_FILE


def tasks_for(user) -> QuerySet[Task]:
    return scope_to_department(user, Task.objects.select_related("department"))


def draws_for(user) -> QuerySet[Draw]:
    return scope_to_department(
        user, Draw.objects.select_related("task", "task__department"), "task__department"
    )


def bundle_zip(draw: Draw) -> bytes:
    """The draw's files as a zip: targets/ (the target draw), teams/ (matching) and the inspector pool."""
    root = draw_dir(draw.draw_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, f"{draw.draw_id}/{path.relative_to(root)}")
    return buffer.getvalue()


def verify(draw: Draw) -> list[tuple[str, object]]:
    """Re-compute the draw's bundles with the standalone verifier."""
    from fairspot.draw import verify_bundle
    from fairspot.draws.classes import verify_snapshot

    root = draw_dir(draw.draw_id)
    reports = [("targets", verify_bundle(root / "targets", manifest_digest=draw.manifest_digest))]
    if reports[0][1].ok:  # the manifest is the committed one: check the class snapshot against it
        manifest = committed_manifest(root)
        if "class_snapshot_sha256" in manifest["spec"]:  # fairspot-draw/2 (§5.10): the engine checks it
            classes = _verify_v2_classes(root, draw)
        else:
            classes = verify_snapshot(root, manifest)
        if classes is not None:
            reports.append(("classes", classes))
    if draw.matching_digest:
        reports.append(("teams", verify_bundle(root / "teams", manifest_digest=draw.matching_digest)))
    for rematch in draw.rematches.all():
        name = rematch.dirname
        reports.append((name, verify_bundle(root / name, manifest_digest=rematch.manifest_digest)))
    return reports


def _verify_v2_classes(root, draw: Draw):
    from fairspot.draw import VerifyReport, verify_bundle
    from fairspot.draws.pps import SNAPSHOT_FILE

    path = root / SNAPSHOT_FILE
    if not path.is_file():
        return VerifyReport(False, "unknown", None, mismatch=f"{SNAPSHOT_FILE}: missing")
    return verify_bundle(root / "targets", manifest_digest=draw.manifest_digest, classes=path.read_bytes())


def rematch_rows(draw: Draw) -> list[dict]:
    """Each re-matching with its sources' state, for the draw page."""
    from fairspot.draws.rematch import confirmed_values

    rows = []
    for rematch in draw.rematches.select_related("committed_by").order_by("number"):
        confirmed = confirmed_values(rematch)
        entries = {}
        for value in draw.source_values.filter(name__startswith=f"{rematch.dirname}.").select_related(
            "entered_by"
        ):
            entries.setdefault(value.name.split(".", 1)[1], []).append(value)
        sources = [
            {"decl": d, "entries": entries.get(d["name"], []), "value": confirmed.get(d["name"])}
            for d in rematch.sources
        ]
        waiting = [s["decl"] for s in sources if s["value"] is None]
        rows.append({"rematch": rematch, "sources": sources, "waiting": waiting})
    return rows


def team_shortage(draw: Draw) -> dict | None:
    """When a draw's teams could not be matched: what the drawn targets needed and what the frozen pool
    could give at most, in numbers an officer can check (the engine's own explanation names ids)."""
    path = draw_dir(draw.draw_id) / POOL_FILE
    if not draw.matching_problem or not path.is_file():
        return None
    pool = parse_canonical_json(path.read_bytes())
    targets = draw.drawn.filter(alternate=False).count()
    needed = targets * pool["team_size"]
    capacity = sum(min(i["capacity"], targets) for i in pool["inspectors"])
    return {
        "targets": targets,
        "team_size": pool["team_size"],
        "needed": needed,
        "officers": len(pool["inspectors"]),
        "capacity": capacity,
        "short": max(0, needed - capacity),
    }
