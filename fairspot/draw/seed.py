"""Seed, per-target keys and per-stratum uniforms — all SHA-256, all exact integers.

* ``seed = SHA-256(LP("fairspot-draw/1 seed") ‖ LP(manifest digest) ‖ LP(name₁) ‖ LP(value₁) ‖ …)``
  over every source in manifest order (LP = 8-byte big-endian length prefix).
* ``key(id) = SHA-256(LP("fairspot-draw/1 target-key") ‖ seed ‖ id)`` read as a 256-bit big-endian
  integer. The id (UTF-8) is the last field and everything before it has a fixed length, so no length
  prefix is needed for it; this lets the fixed 67-byte prefix be hashed once and copied per row.
* ``u_h = SHA-256(LP("fairspot-draw/1 stratum-rounding") ‖ LP(seed) ‖ LP(canonical JSON of the stratum
  value list)) / 2**256`` — the uniform of the stratum's randomized rounding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .canonical import canonical_json, lp, tagged_hash
from .errors import SourceError

SEED_TAG = "fairspot-draw/1 seed"
KEY_TAG = "fairspot-draw/1 target-key"
ROUNDING_TAG = "fairspot-draw/1 stratum-rounding"
TWO_256 = 1 << 256


def derive_seed(manifest_digest: bytes, sources: Iterable[Mapping[str, Any]]) -> bytes:
    """The draw's 32-byte seed from the manifest digest and the revealed sources (entries with
    ``name`` and ``value``, in manifest order)."""
    if len(manifest_digest) != 32:
        raise SourceError("the manifest digest must be 32 bytes")
    parts: list[bytes] = [manifest_digest]
    for entry in sources:
        parts.append(entry["name"].encode("utf-8"))
        parts.append(entry["value"].encode("utf-8"))
    return tagged_hash(SEED_TAG, *parts)


def key_hasher(seed: bytes) -> Any:
    """A SHA-256 state that has absorbed the fixed key prefix; ``.copy()`` it per target."""
    if len(seed) != 32:
        raise SourceError("the seed must be 32 bytes")
    return hashlib.sha256(lp(KEY_TAG.encode("ascii")) + seed)


def target_key_bytes(seed: bytes, ident: str | bytes) -> bytes:
    h = key_hasher(seed)
    h.update(ident.encode("utf-8") if isinstance(ident, str) else ident)
    return h.digest()


def target_key(seed: bytes, ident: str | bytes) -> int:
    """The target's key as an integer in [0, 2**256): every target can check its own ticket."""
    return int.from_bytes(target_key_bytes(seed, ident), "big")


def stratum_uniform(seed: bytes, stratum: Sequence[str]) -> int:
    """Numerator of the stratum's rounding uniform u_h = value / 2**256."""
    return int.from_bytes(tagged_hash(ROUNDING_TAG, seed, canonical_json(list(stratum))), "big")
