"""The verifier: recompute a bundle from its own files and name the first thing that does not match.

Standard library only (the matching certificate is checked with integer arithmetic, never by
re-solving). ``verify_bundle(directory, manifest_digest=None) -> VerifyReport``.

Order of checks: the index (every file listed, nothing extra, every hash right, canonical form);
manifest canonical JSON and, if given, the published digest; population canonical and matching the
manifest; the manifest rebuilt from population + spec byte for byte; sources; the result recomputed
(targets) or its certificate checked (matching).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bundle import (
    INDEX_FILE,
    MANIFEST_FILE,
    POPULATION_FILE,
    RESULT_FILE,
    SOURCES_FILE,
    index_bytes,
    parse_index,
    read_bundle,
)
from .canonical import PROTOCOL, PROTOCOLS, _no_float, canonical_json, parse_canonical_json
from .classes import CLASSES_FILE, check_class_snapshot
from .errors import DrawError, VerificationError
from .manifest import manifest_for
from .population import Population, parse_canonical_population
from .replace import REPLACEMENTS_FILE, check_replacements
from .sampling import draw, sources_document
from .spec import normalize_spec


@dataclass
class VerifyReport:
    """Outcome of :func:`verify_bundle`. ``ok`` is False when ``mismatch`` names what failed."""

    ok: bool
    state: str  # "committed", "revealed" or "unknown"
    manifest_sha256: str | None
    summary: list[str] = field(default_factory=list)
    mismatch: str | None = None

    def text(self) -> str:
        head = "OK: everything reproduces" if self.ok else f"MISMATCH: {self.mismatch}"
        return "\n".join([head, *self.summary])


def first_difference(expected: Any, found: Any, path: str = "") -> str | None:
    """Where two documents first differ, as a readable path (``None`` when equal)."""
    if type(expected) is not type(found):
        return f"{path or '$'}: expected {_short(expected)}, found {_short(found)}"
    if isinstance(expected, dict):
        for key in sorted(set(expected) | set(found)):
            if key not in found:
                return f"{path}.{key}: missing"
            if key not in expected:
                return f"{path}.{key}: unexpected field"
            diff = first_difference(expected[key], found[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(expected, list):
        for i, (a, b) in enumerate(zip(expected, found, strict=False)):
            label = f"{path}[{i}]"
            if isinstance(a, dict) and "stratum" in a:
                label += f" (stratum {a['stratum']})"
            elif isinstance(a, dict) and "task" in a:
                label += f" (task {a['task']!r})"
            diff = first_difference(a, b, label)
            if diff:
                return diff
        if len(expected) != len(found):
            return f"{path}: expected {len(expected)} items, found {len(found)}"
        return None
    if expected != found:
        return f"{path or '$'}: expected {_short(expected)}, found {_short(found)}"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


BUNDLE_FILES = frozenset({MANIFEST_FILE, POPULATION_FILE, REPLACEMENTS_FILE, RESULT_FILE, SOURCES_FILE})


def _check_index(files: dict[str, bytes]) -> dict[str, str]:
    """Check the index against the files; return it (file name → SHA-256 hex)."""
    if INDEX_FILE not in files:
        raise VerificationError("the index file is missing", where=INDEX_FILE)
    listed = parse_index(files[INDEX_FILE])
    present = sorted(n for n in files if n != INDEX_FILE)
    for name, digest in listed.items():
        if name not in files:
            raise VerificationError(
                f"{INDEX_FILE} lists {name!r} but the bundle has no such file", where=INDEX_FILE
            )
        actual = hashlib.sha256(files[name]).hexdigest()
        if actual != digest:
            raise VerificationError(
                f"SHA-256 is {actual} but {INDEX_FILE} lists {digest}: the file or the index was changed",
                where=name,
            )
    for name in present:
        if name not in BUNDLE_FILES:
            raise VerificationError(
                f"a bundle holds only {', '.join(sorted(BUNDLE_FILES))} and {INDEX_FILE} (unexpected file)",
                where=name,
            )
        if name not in listed:
            raise VerificationError(f"file is not listed in {INDEX_FILE} (unexpected file)", where=name)
    if index_bytes({n: files[n] for n in present}) != files[INDEX_FILE]:
        raise VerificationError("index is not in canonical form", where=INDEX_FILE)
    return listed


def _document(files: dict[str, bytes], name: str) -> Any:
    try:
        return parse_canonical_json(files[name], where=name)
    except DrawError as exc:
        raise VerificationError(exc.message, where=name) from None


def check_committed(files: dict[str, bytes]) -> tuple[dict[str, Any], Population | None]:
    """Check the committed part of a bundle; return the manifest and (targets) the population."""
    _check_index(files)
    if MANIFEST_FILE not in files:
        raise VerificationError("manifest is missing", where=MANIFEST_FILE)
    manifest = _document(files, MANIFEST_FILE)
    if not isinstance(manifest, dict) or manifest.get("protocol") not in PROTOCOLS:
        raise VerificationError(f"not a {' or '.join(PROTOCOLS)} manifest", where=MANIFEST_FILE)
    kind = manifest.get("kind")
    if kind == "matching" and manifest["protocol"] != PROTOCOL:
        raise VerificationError(f"a matching manifest is {PROTOCOL} (there is no other)", where=MANIFEST_FILE)
    if kind == "matching":
        if POPULATION_FILE in files:
            raise VerificationError("a matching bundle has no population file", where=POPULATION_FILE)
        from .matching_verify import rebuild_matching_manifest

        rebuilt = rebuild_matching_manifest(manifest)
        population = None
    elif kind == "targets":
        if POPULATION_FILE not in files:
            raise VerificationError("population file is missing", where=POPULATION_FILE)
        try:
            spec = normalize_spec(manifest["spec"], protocol=manifest["protocol"])
            data = files[POPULATION_FILE]
            population = parse_canonical_population(
                data, stratify_by=spec["stratify_by"], weight_column=spec["weight_column"]
            )
            rebuilt = manifest_for(population, spec, data, protocol=manifest["protocol"])
        except (DrawError, KeyError, TypeError) as exc:
            where = getattr(exc, "where", None) or MANIFEST_FILE
            raise VerificationError(
                getattr(exc, "message", None) or f"malformed manifest ({exc})", where=where
            ) from None
    else:
        raise VerificationError(f"unknown kind {kind!r}", where=MANIFEST_FILE)
    diff = first_difference(rebuilt, manifest, "")
    if diff or canonical_json(rebuilt) != files[MANIFEST_FILE]:
        raise VerificationError(
            f"does not match what the population and spec give: {diff}", where=MANIFEST_FILE
        )
    return manifest, population


def check_sealed(files: dict[str, bytes], manifest_digest: str) -> tuple[dict[str, Any], Population | None]:
    """The committed part of a bundle checked as a reveal needs it, against the digest published at the
    commit: every hash in the index, the manifest's SHA-256 equal to ``manifest_digest``, the population's
    equal to the one the manifest names, and the population parsed strictly (the draw needs its strata).

    What the manifest says of the population (rows, exclusions, strata) is not recomputed here: the two
    hashes bind these files to the bytes the commit built and published, so recomputing it could only
    find what :func:`check_committed` (every verification) finds, at twice the reveal's cost on a
    province's population. Matching bundles, which are small, get the full check."""
    listed = _check_index(files)
    if MANIFEST_FILE not in files:
        raise VerificationError("manifest is missing", where=MANIFEST_FILE)
    found = hashlib.sha256(files[MANIFEST_FILE]).hexdigest()
    if found != manifest_digest.lower():
        raise VerificationError(
            f"manifest SHA-256 is {found}, the published digest is {manifest_digest}", where=MANIFEST_FILE
        )
    try:  # the committed bytes: read without the strict reader's check for repeated keys (seconds here)
        manifest = json.loads(files[MANIFEST_FILE], parse_float=_no_float, parse_constant=_no_float)
    except (ValueError, DrawError):
        return check_committed(files)  # names what is wrong with it
    if not isinstance(manifest, dict) or manifest.get("kind") != "targets":
        return check_committed(files)
    if POPULATION_FILE not in files:
        raise VerificationError("population file is missing", where=POPULATION_FILE)
    if listed.get(POPULATION_FILE) != manifest["population"]["sha256"]:
        raise VerificationError("population file does not match the manifest digest", where=POPULATION_FILE)
    spec = manifest["spec"]
    population = parse_canonical_population(
        files[POPULATION_FILE], stratify_by=spec["stratify_by"], weight_column=spec["weight_column"]
    )
    return manifest, population


def _check_revealed(
    files: dict[str, bytes], manifest: dict[str, Any], population: Population | None
) -> list[str]:
    sdoc = _document(files, SOURCES_FILE)
    if not isinstance(sdoc, dict) or not isinstance(sdoc.get("sources"), list):
        raise VerificationError("malformed sources document", where=SOURCES_FILE)
    given = {}
    for entry in sdoc["sources"]:
        if not isinstance(entry, dict) or "name" not in entry:
            raise VerificationError("malformed source entry", where=SOURCES_FILE)
        given[entry["name"]] = {k: v for k, v in entry.items() if k != "name"}
    try:
        expected_sdoc = sources_document(manifest, given)
    except DrawError as exc:
        raise VerificationError(str(exc), where=SOURCES_FILE) from None
    diff = first_difference(expected_sdoc, sdoc, "")
    if diff:
        raise VerificationError(diff, where=SOURCES_FILE)
    result = _document(files, RESULT_FILE)
    if manifest["kind"] == "matching":
        from .matching_verify import verify_matching_result

        return verify_matching_result(manifest, expected_sdoc, result)
    assert population is not None
    expected = draw(manifest, population, given)
    diff = first_difference(expected, result, "")
    if diff or canonical_json(expected) != files[RESULT_FILE]:
        raise VerificationError(diff or "bytes differ", where=RESULT_FILE)
    notes = [
        f"seed {expected['seed']}",
        f"selected {expected['selected_total']} targets, {expected['alternates_total']} alternates",
    ]
    for s in expected["strata"]:
        if len(expected["strata"]) <= 20:
            notes.append(f"  stratum {s['stratum']}: N={s['N']} n={s['n']} (E[n]={s['expected_n']})")
    return notes


def _source_notes(files: dict[str, bytes]) -> list[str]:
    sdoc = parse_canonical_json(files[SOURCES_FILE])
    notes = []
    for entry in sdoc["sources"]:
        line = f"source {entry['name']!r} = {entry['value']}"
        if entry.get("fallback_used"):
            line += f"  [FALLBACK used: {entry.get('note', '')}]"
        notes.append(line)
    return notes


def verify_bundle(
    directory: str | Path, manifest_digest: str | None = None, *, classes: bytes | None = None
) -> VerifyReport:
    """Verify a bundle directory; never raises for a mismatch (see ``VerifyReport.mismatch``).
    ``classes``: the staff-side class snapshot (fairspot-draw/2, classes.py), checked when given."""
    digest = None
    state = "unknown"
    summary: list[str] = []
    try:
        files = read_bundle(directory)
        if MANIFEST_FILE in files:
            digest = hashlib.sha256(files[MANIFEST_FILE]).hexdigest()
        manifest, population = check_committed(files)
        if manifest_digest is not None and manifest_digest.lower() != digest:
            raise VerificationError(
                f"manifest SHA-256 is {digest}, the published digest is {manifest_digest}",
                where=MANIFEST_FILE,
            )
        summary.append(
            f"manifest sha256 {digest}"
            + (
                " (matches the published digest)"
                if manifest_digest
                else " (compare it with the digest published at commit)"
            )
        )
        summary.append(
            f"draw {manifest['spec']['draw_id']!r}, kind {manifest['kind']}, protocol {manifest['protocol']}"
        )
        if population is not None:
            summary.append(
                f"population {manifest['population']['rows']} rows,"
                f" {len(manifest['spec']['exclusions'])} excluded, frame {manifest['frame_size']},"
                f" {len(manifest['strata'])} strata, design {manifest['spec']['design']}"
            )
        if classes is not None:
            if population is None:
                raise VerificationError("a matching draw has no class snapshot", where=CLASSES_FILE)
            summary.extend(check_class_snapshot(manifest, population, classes))
        revealed = SOURCES_FILE in files or RESULT_FILE in files
        if not revealed:
            state = "committed"
            summary.append("committed, not yet revealed")
        else:
            for name in (SOURCES_FILE, RESULT_FILE):
                if name not in files:
                    raise VerificationError("half-revealed bundle: file is missing", where=name)
            summary.extend(_check_revealed(files, manifest, population))
            summary.extend(_source_notes(files))
            state = "revealed"
        if REPLACEMENTS_FILE in files:
            if manifest["kind"] != "matching" or state != "revealed":
                raise VerificationError(
                    "only a revealed matching bundle has replacements", where=REPLACEMENTS_FILE
                )
            summary.extend(
                check_replacements(
                    manifest, _document(files, RESULT_FILE), _document(files, REPLACEMENTS_FILE)
                )
            )
    except DrawError as exc:
        return VerifyReport(False, state, digest, summary, str(exc))
    return VerifyReport(True, state, digest, summary)
