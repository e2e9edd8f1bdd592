"""Fairspot draw engine (protocols ``fairspot-draw/1`` and, for target draws, ``fairspot-draw/2``):
verifiable random draws of inspection targets and random matching of inspectors, re-computable bit for
bit by anyone from what was published. A spec chooses v2 with ``"protocol": "fairspot-draw/2"``
(ordered systematic πps with exact inclusion probabilities, ``min_inclusion`` floors, ``ratio_by``, a
committed class table); without it a spec is v1 and every v1 byte is unchanged.

No Django, no fairspot app: the target draw and the verifier use only the standard library; only the
matching solver imports numpy/scipy, lazily. The protocol is specified in ``docs/draw-protocol.md``.

Python API (what the Django side calls)::

    canonical_json(obj) -> bytes                       RFC 8785 bytes; floats refused
    parse_canonical_json(data, *, where=None) -> Any   refuses non-canonical bytes

    population_from_rows(rows, *, stratify_by=(), weight_column=None) -> Population
    read_population_csv(path_or_bytes, *, stratify_by=(), weight_column=None) -> Population
    RowTuples(columns, row_tuples)   (a population to commit: written and counted in one pass)
    build_manifest(rows_or_population, spec) -> (manifest: dict, canonical_population: bytes)
    manifest_digest(manifest) -> bytes                 SHA-256 of canonical_json(manifest), the commitment

    sources_document(manifest, {name: value}) -> dict  the sources.json document (checks formats)
    derive_seed(manifest_digest, entries) -> bytes     entries: [{"name", "value"}] in manifest order
    target_key(seed, id) -> int                        a target's ticket, in [0, 2**256)
    draw(manifest, population_bytes_or_Population, {name: value}) -> result dict

    matching_manifest(spec) -> dict                    normalized matching manifest (no solving)
    build_matching_manifest(spec) -> dict              same, after checking a full assignment exists
    match_inspectors(manifest, {name: value}) -> result dict with teams + certificate (needs scipy)
        (a spec may carry an expert pool, §7.8: every team then has "experts", drawn by experts.py)
    verify_matching_result(manifest, sources_doc, result) -> list[str]   stdlib, integers only

    commit_bundle(out_dir, spec, population=None, *, created_at=None) -> manifest sha256 hex
    reveal_bundle(dir, {name: value}) -> result dict
    verify_bundle(dir, manifest_digest=None, *, classes=None) -> VerifyReport(ok, state, manifest_sha256,
        summary, mismatch); ``classes``: the staff class snapshot bytes (v2, classes.py)
    class_snapshot_bytes({id: class}) -> bytes         the canonical staff-side class snapshot (v2)

Errors: every failure is a :class:`DrawError` (``message``, ``where``) — subclasses SpecError,
PopulationError, SourceError, CanonicalError, BundleError, VerificationError, MatchingError,
InfeasibleError (with ``problems``: one line per task/slot that cannot be staffed).
"""

from .canonical import PROTOCOL, PROTOCOL_V2, PROTOCOLS, canonical_json, parse_canonical_json
from .classes import class_snapshot_bytes
from .errors import (
    BundleError,
    CanonicalError,
    DrawError,
    InfeasibleError,
    MatchingError,
    PopulationError,
    SourceError,
    SpecError,
    VerificationError,
)
from .manifest import build_manifest, manifest_digest
from .matching import build_matching_manifest, match_inspectors, matching_manifest
from .matching_verify import verify_matching_result
from .population import (
    Population,
    canonical_population_bytes,
    parse_canonical_population,
    population_from_rows,
    read_population_csv,
)
from .rows import RowTuples
from .sampling import draw, sources_document
from .seed import derive_seed, target_key
from .verify import VerifyReport, verify_bundle
from .workflow import commit_bundle, reveal_bundle

__all__ = [
    "PROTOCOL",
    "PROTOCOLS",
    "PROTOCOL_V2",
    "BundleError",
    "CanonicalError",
    "DrawError",
    "InfeasibleError",
    "MatchingError",
    "Population",
    "PopulationError",
    "RowTuples",
    "SourceError",
    "SpecError",
    "VerificationError",
    "VerifyReport",
    "build_manifest",
    "build_matching_manifest",
    "canonical_json",
    "canonical_population_bytes",
    "class_snapshot_bytes",
    "commit_bundle",
    "derive_seed",
    "draw",
    "manifest_digest",
    "match_inspectors",
    "matching_manifest",
    "parse_canonical_json",
    "parse_canonical_population",
    "population_from_rows",
    "read_population_csv",
    "reveal_bundle",
    "sources_document",
    "target_key",
    "verify_bundle",
    "verify_matching_result",
]
