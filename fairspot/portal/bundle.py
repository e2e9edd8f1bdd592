"""The public part of a draw's bundle.

Served: the target draw's files (``targets/``): population.csv, manifest.json, sources.json, result.json
and SHA256SUMS. Not served: ``inspector-pool.json`` and the team matching (``teams/``): they hold staff
numbers together with each officer's township of residence and the conflict-of-interest register —
personal data of the officers (see docs/portal.md, "Decisions"). Their digests are shown instead.

A draw whose bundle would reveal credit-risk classes — a πps draw (its weights are a function of the
class), a draw stratified by class (ratios per class) or one that excluded class-A targets (reason
``risk_class_a``) — serves only sources.json and
SHA256SUMS unless ``settings.FAIRSPOT_PORTAL_PUBLISH_RISK_DATA`` is true: the classes are internal.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings

from fairspot.draw import parse_canonical_json
from fairspot.draw.errors import DrawError
from fairspot.draws.classes import ratio_words
from fairspot.draws.files import committed_manifest, draw_dir
from fairspot.draws.models import Design, Draw

TARGET_FILES = ("manifest.json", "population.csv", "sources.json", "result.json", "SHA256SUMS")
RESTRICTED_FILES = ("sources.json", "SHA256SUMS")
CONTENT_TYPES = {
    ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    "": "text/plain; charset=utf-8",
}


def targets_dir(draw: Draw) -> Path:
    return draw_dir(draw.draw_id) / "targets"


def manifest(draw: Draw) -> dict | None:
    """The committed manifest (parsed once per process while unchanged; read only)."""
    return committed_manifest(draw_dir(draw.draw_id))


def sources(draw: Draw) -> list[dict]:
    path = targets_dir(draw) / "sources.json"
    try:
        return parse_canonical_json(path.read_bytes())["sources"]
    except (OSError, DrawError, KeyError, TypeError):
        return []


def reveals_risk_classes(draw: Draw, doc: dict | None) -> bool:
    if draw.task.design == Design.PPS or draw.task.class_ratios:
        return True
    if "risk_class" in (doc or {}).get("population", {}).get("columns", []):
        return True  # strata by class: the population file names every target's class
    exclusions = (doc or {}).get("spec", {}).get("exclusions", [])
    return doc is None or any(e.get("reason") == "risk_class_a" for e in exclusions)


def restricted(draw: Draw, doc: dict | None) -> bool:
    return reveals_risk_classes(draw, doc) and not settings.FAIRSPOT_PORTAL_PUBLISH_RISK_DATA


def public_files(draw: Draw, doc: dict | None) -> list[str]:
    """Names of the public files that exist, in a fixed order."""
    allowed = RESTRICTED_FILES if restricted(draw, doc) else TARGET_FILES
    root = targets_dir(draw)
    return [name for name in allowed if (root / name).is_file()]


def file_bytes(draw: Draw, name: str) -> bytes | None:
    if name not in TARGET_FILES or name not in public_files(draw, manifest(draw)):
        return None
    return (targets_dir(draw) / name).read_bytes()


def content_type(name: str) -> str:
    return CONTENT_TYPES[Path(name).suffix]


def public_zip(draw: Draw) -> bytes:
    """The public files as ``<draw_id>/targets/<name>`` — the layout the Python verifier expects."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in public_files(draw, manifest(draw)):
            archive.write(targets_dir(draw) / name, f"{draw.draw_id}/targets/{name}")
    return buffer.getvalue()


def class_digests(doc: dict | None) -> dict[str, str]:
    """What a class-driven draw publishes of its classes: the class table and the snapshot's digest."""
    spec = (doc or {}).get("spec", {})
    annex = spec.get("annex", {})
    out = {k: annex[k] for k in ("class_ratios", "class_snapshot_sha256") if k in annex}
    if "class_snapshot_sha256" in spec:  # fairspot-draw/2: committed in the spec itself (§5.10)
        out["class_snapshot_sha256"] = spec["class_snapshot_sha256"]
    if "class_ratios" in out:
        out["class_ratios"] = " · ".join(ratio_words(out["class_ratios"]))
    return out
