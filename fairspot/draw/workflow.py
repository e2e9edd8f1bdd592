"""Commit and reveal on bundle directories (the file-based workflow behind the CLI).

* :func:`commit_bundle` — target draw: population + spec → ``population.csv``, ``manifest.json``,
  ``SHA256SUMS``; inspector matching: problem spec → ``manifest.json``, ``SHA256SUMS``. Returns the
  manifest digest (hex) to publish.
* :func:`reveal_bundle` — checks the committed bundle, the sources, and that nothing was revealed
  before; writes ``sources.json``, ``result.json`` and the new index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .bundle import (
    MANIFEST_FILE,
    POPULATION_FILE,
    RESULT_FILE,
    SOURCES_FILE,
    add_to_bundle,
    read_bundle,
    write_new_bundle,
)
from .canonical import canonical_json, sha256_hex
from .errors import BundleError, SpecError
from .manifest import build_manifest
from .population import Population, read_population_csv
from .rows import RowTuples
from .sampling import draw, sources_document


def _with_created_at(spec: Mapping[str, Any], created_at: str | None) -> dict[str, Any]:
    spec = dict(spec)
    if created_at is not None:
        spec["created_at"] = created_at
    return spec


def commit_bundle(
    out: str | Path,
    spec: Mapping[str, Any],
    population: str | Path | bytes | Population | RowTuples | Iterable[Mapping[str, Any]] | None = None,
    *,
    created_at: str | None = None,
) -> str:
    """Write a committed bundle to ``out`` and return the manifest SHA-256 (hex).

    For a target draw ``population`` is an input CSV (path or bytes), a :class:`Population`, a
    row tuples (:class:`RowTuples`) or row mappings; for a matching spec
    (``"kind": "matching"``) it must be None."""
    spec = _with_created_at(spec, created_at)
    if not isinstance(spec, Mapping):
        raise SpecError("the spec must be a JSON object", where="spec")
    if spec.get("kind") == "matching":
        if population is not None:
            raise SpecError("a matching spec carries its own tasks and inspectors; give no population")
        from .matching import build_matching_manifest  # keeps scipy out of target-only use

        manifest = build_matching_manifest(spec)
        files = {MANIFEST_FILE: canonical_json(manifest)}
    else:
        if population is None:
            raise SpecError("a target draw needs a population")
        if isinstance(population, str | Path | bytes):
            population = read_population_csv(
                population,
                stratify_by=spec.get("stratify_by", []) or [],
                weight_column=spec.get("weight_column"),
            )
        manifest, pop_bytes = build_manifest(population, spec)
        files = {MANIFEST_FILE: canonical_json(manifest), POPULATION_FILE: pop_bytes}
    write_new_bundle(out, files)
    return sha256_hex(files[MANIFEST_FILE])


def reveal_bundle(
    directory: str | Path, sources: Mapping[str, Any], *, manifest_digest: str | None = None
) -> dict[str, Any]:
    """Reveal a committed bundle with the source values; returns the result document.

    Without ``manifest_digest`` the committed bundle is checked as a verifier checks it (the manifest
    rebuilt from the population and the spec). With the digest published at the commit, it is checked
    against that digest instead (:func:`~fairspot.draw.verify.check_sealed`): the same files pass and
    fail, in half the time on a province's population."""
    from .verify import check_committed, check_sealed  # verify imports workflow's siblings only

    files = read_bundle(directory)
    if SOURCES_FILE in files or RESULT_FILE in files:
        raise BundleError(
            "this draw has already been revealed; a draw is revealed once", where=str(directory)
        )
    if manifest_digest is None:
        manifest, population = check_committed(files)
        digest = None
    else:
        manifest, population = check_sealed(files, manifest_digest)
        digest = bytes.fromhex(manifest_digest)
    sdoc = sources_document(manifest, sources, digest=digest)
    if manifest["kind"] == "matching":
        from .matching import match_inspectors

        result = match_inspectors(manifest, sdoc)
    else:
        result = draw(manifest, population, sources, digest=digest)
    add_to_bundle(directory, files, {SOURCES_FILE: canonical_json(sdoc), RESULT_FILE: canonical_json(result)})
    return result
