"""Replacing one officer of a drawn team (§7.7 of docs/draw-protocol.md), re-checkable by anyone.

A replacement record names the task, the officer who leaves and why. The officer who joins is not
chosen by anyone: it is the first inspector, in ascending order of

    key(t, i) = H("fairspot-draw/1 replacement", seed, task id, inspector id)

who may fill the vacated slot under the eligibility rules of §7.3, is not on the team, has not left
this team before, and is under capacity counting the teams as they stand after earlier replacements.
The log is ``replacements.json`` in the matching bundle; ``verify`` recomputes every entry in order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .canonical import PROTOCOL, canonical_json, sha256_hex, tagged_hash
from .errors import DrawError
from .matching import blocked_pairs, ineligibility

REPLACEMENTS_FILE = "replacements.json"
REPLACEMENT_TAG = "fairspot-draw/1 replacement"
REASONS = ("illness", "withdrawal", "other")
MAX_NOTE = 500


class ReplacementError(DrawError):
    """A replacement request that cannot be applied (nothing is written)."""


def replacement_key(seed: bytes, task_id: str, inspector_id: str) -> bytes:
    return tagged_hash(REPLACEMENT_TAG, seed, task_id.encode("utf-8"), inspector_id.encode("utf-8"))


def _request(raw: Any, n: int) -> tuple[str, str, str, str]:
    where = f"replacements[{n}]"
    if not isinstance(raw, Mapping) or not {"task", "out", "reason"} <= set(raw) <= {
        "task",
        "out",
        "reason",
        "note",
    }:
        raise ReplacementError('a replacement is {"task", "out", "reason", "note"?}', where=where)
    task, out, reason, note = raw["task"], raw["out"], raw["reason"], raw.get("note", "")
    if not isinstance(task, str) or not isinstance(out, str):
        raise ReplacementError("task and out must be strings", where=where)
    if reason not in REASONS:
        raise ReplacementError(f"reason must be one of {', '.join(REASONS)}, got {reason!r}", where=where)
    if not isinstance(note, str) or len(note) > MAX_NOTE or (reason == "other" and not note.strip()):
        raise ReplacementError(
            f"note must be a string of at most {MAX_NOTE} characters (required for reason 'other')",
            where=where,
        )
    return task, out, reason, note


def replacements_document(
    manifest: Mapping[str, Any], result: Mapping[str, Any], requests: Sequence[Any]
) -> dict[str, Any]:
    """The ``replacements.json`` document for ``requests`` applied in order to the matching ``result``.
    Raises ReplacementError (naming the request) when one cannot be applied."""
    spec = manifest["spec"]
    seed = bytes.fromhex(result["seed"])
    tasks = {t["id"]: t for t in spec["tasks"]}
    people = {i["id"]: i for i in spec["inspectors"]}
    blocked = blocked_pairs(spec)
    teams = {team["task"]: [m["inspector"] for m in team["members"]] for team in result["teams"]}
    load: dict[str, int] = dict.fromkeys(people, 0)
    for members in teams.values():
        for ident in members:
            load[ident] += 1
    left: dict[str, set[str]] = {}
    entries = []
    for n, raw in enumerate(requests):
        task_id, out, reason, note = _request(raw, n)
        where = f"replacements[{n}]"
        if task_id not in tasks:
            raise ReplacementError(f"there is no task {task_id!r} in this draw", where=where)
        members = teams[task_id]
        if out not in members:
            raise ReplacementError(
                f"officer {out!r} is not on the team of task {task_id!r} (members: {', '.join(members)})",
                where=where,
            )
        task = tasks[task_id]
        slot = members.index(out)
        gone = left.setdefault(task_id, set())
        gone.add(out)
        load[out] -= 1
        ranked = sorted(people, key=lambda ident: (replacement_key(seed, task_id, ident), ident))
        chosen = next(
            (
                ident
                for ident in ranked
                if ident not in members
                and ident not in gone
                and load[ident] < people[ident]["capacity"]
                and ineligibility(spec, task, slot, people[ident], blocked) is None
            ),
            None,
        )
        if chosen is None:
            raise ReplacementError(
                f"no eligible officer is left to replace {out!r} in slot {slot} of task {task_id!r}",
                where=where,
            )
        members[slot] = chosen
        load[chosen] += 1
        entries.append(
            {
                "seq": n + 1,
                "task": task_id,
                "slot": slot,
                "out": out,
                "in": chosen,
                "key": replacement_key(seed, task_id, chosen).hex(),
                "reason": reason,
                "note": note,
            }
        )
    return {
        "protocol": PROTOCOL,
        "kind": "replacements",
        "draw_id": spec["draw_id"],
        "result_sha256": sha256_hex(canonical_json(result)),
        "replacements": entries,
    }


def teams_after(result: Mapping[str, Any], document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The teams as they stand after every replacement: ``[{task, target, leader, members: [ids]}]``."""
    teams = {team["task"]: [m["inspector"] for m in team["members"]] for team in result["teams"]}
    for entry in document["replacements"]:
        teams[entry["task"]][entry["slot"]] = entry["in"]
    return [
        {"task": t["task"], "target": t["target"], "leader": teams[t["task"]][0], "members": teams[t["task"]]}
        for t in result["teams"]
    ]


def requests_of(document: Any) -> list[dict[str, Any]]:
    """The requests a replacements document records (what was asked, not what was computed)."""
    if not isinstance(document, Mapping) or not isinstance(document.get("replacements"), list):
        raise ReplacementError("malformed replacements document", where=REPLACEMENTS_FILE)
    out = []
    for entry in document["replacements"]:
        if not isinstance(entry, Mapping):
            raise ReplacementError("malformed replacement entry", where=REPLACEMENTS_FILE)
        out.append({k: entry[k] for k in ("task", "out", "reason", "note") if k in entry})
    return out


def check_replacements(manifest: Mapping[str, Any], result: Mapping[str, Any], document: Any) -> list[str]:
    """Recompute every replacement of ``document`` in order; raise VerificationError at the first
    difference, else return summary lines."""
    from .errors import VerificationError
    from .verify import first_difference

    try:
        expected = replacements_document(manifest, result, requests_of(document))
    except ReplacementError as exc:
        raise VerificationError(exc.message, where=f"{REPLACEMENTS_FILE}: {exc.where}") from None
    diff = first_difference(expected, document, "")
    if diff:
        raise VerificationError(diff, where=REPLACEMENTS_FILE)
    return [
        f"replacement {e['seq']}: task {e['task']!r} slot {e['slot']}: {e['out']} -> {e['in']}"
        f" ({e['reason']})"
        for e in expected["replacements"]
    ]


def write_replacements(directory: Any, requests: Sequence[Any]) -> dict[str, Any]:
    """(Re)write ``replacements.json`` of a revealed matching bundle for the whole list ``requests``
    (earlier ones first); returns the document. Computes everything before writing anything."""
    from .bundle import MANIFEST_FILE, RESULT_FILE, add_to_bundle, read_bundle
    from .canonical import parse_canonical_json

    files = read_bundle(directory)
    if MANIFEST_FILE not in files or RESULT_FILE not in files:
        raise ReplacementError("the team matching has not been revealed", where=str(directory))
    manifest = parse_canonical_json(files[MANIFEST_FILE], where=MANIFEST_FILE)
    if manifest.get("kind") != "matching":
        raise ReplacementError("not a matching bundle", where=str(directory))
    result = parse_canonical_json(files[RESULT_FILE], where=RESULT_FILE)
    document = replacements_document(manifest, result, requests)
    add_to_bundle(directory, files, {REPLACEMENTS_FILE: canonical_json(document)})
    return document
