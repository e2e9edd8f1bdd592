"""Command line: ``python -m fairspot.draw {commit,reveal,verify,key} ...`` (see docs/draw-protocol.md).

Exit status: 0 success; 1 verification found a mismatch; 2 invalid input or wrong bundle state (the
message says what and where; nothing was written).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .canonical import loads_strict
from .errors import DrawError, InfeasibleError, SourceError
from .seed import target_key


def _load_json(path: str, what: str) -> Any:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DrawError(f"cannot read {what}: {exc.strerror}", where=path) from None
    return loads_strict(data, where=path)


def _parse_sources(pairs: Sequence[str], files: Sequence[str]) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for path in files:
        doc = _load_json(path, "sources file")
        if not isinstance(doc, dict):
            raise SourceError("a sources file is a JSON object: source name → value", where=path)
        for name, value in doc.items():
            if name in given:
                raise SourceError("value given twice", where=f"source {name!r}")
            given[name] = value
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SourceError(f"expected NAME=VALUE, got {pair!r}", where="--source")
        if name in given:
            raise SourceError("value given twice", where=f"source {name!r}")
        given[name] = value
    return given


def _commit(args: argparse.Namespace) -> int:
    from .workflow import commit_bundle

    if bool(args.population) == bool(args.matching):
        raise DrawError("give --population with --spec (target draw) or --matching (inspector matching)")
    if args.population:
        if not args.spec:
            raise DrawError("--population needs --spec")
        spec = _load_json(args.spec, "spec")
        digest = commit_bundle(args.out, spec, args.population, created_at=args.created_at)
    else:
        spec = _load_json(args.matching, "matching spec")
        if isinstance(spec, dict):
            spec.setdefault("kind", "matching")
        digest = commit_bundle(args.out, spec, None, created_at=args.created_at)
    print(f"committed {args.out}")
    print(f"manifest sha256: {digest}")
    print("publish this digest now; reveal only after every declared source exists.")
    return 0


def _reveal(args: argparse.Namespace) -> int:
    from .workflow import reveal_bundle

    sources = _parse_sources(args.source or [], args.sources or [])
    result = reveal_bundle(args.dir, sources, manifest_digest=args.manifest_digest)
    print(f"revealed {args.dir}: seed {result['seed']}")
    if result["kind"] == "targets":
        print(f"selected {result['selected_total']} targets and {result['alternates_total']} alternates")
    else:
        print(f"assigned {len(result['teams'])} teams, objective {result['objective']}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from .verify import verify_bundle

    classes = None
    if args.classes:
        try:
            classes = Path(args.classes).read_bytes()
        except OSError as exc:
            raise DrawError(f"cannot read the class snapshot: {exc.strerror}", where=args.classes) from None
    report = verify_bundle(args.dir, args.manifest_digest, classes=classes)
    print(report.text())
    return 0 if report.ok else 1


def _key(args: argparse.Namespace) -> int:
    seed = bytes.fromhex(args.seed)
    for ident in args.ids:
        print(f"{target_key(seed, ident):064x}  {ident}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fairspot.draw", description="Fairspot verifiable draws (fairspot-draw/1 and /2)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("commit", help="freeze population + spec (or a matching problem) into a bundle")
    p.add_argument("--population", help="input CSV with an 'id' column")
    p.add_argument("--spec", help="target-draw spec (JSON)")
    p.add_argument("--matching", help="inspector-matching spec (JSON)")
    p.add_argument("--out", required=True, help="bundle directory to create")
    p.add_argument("--created-at", help="time to record in the manifest (default: the spec's, or none)")
    p.set_defaults(run=_commit)
    p = sub.add_parser("reveal", help="enter source values and draw")
    p.add_argument("dir")
    p.add_argument("--source", action="append", metavar="NAME=VALUE")
    p.add_argument("--sources", action="append", metavar="FILE", help="JSON object: source name → value")
    p.add_argument(
        "--manifest-digest", metavar="HEX", help="the digest published at commit: check the bundle against it"
    )
    p.set_defaults(run=_reveal)
    p = sub.add_parser("verify", help="recompute a bundle")
    p.add_argument("dir")
    p.add_argument("--manifest-digest", metavar="HEX", help="the digest published at commit")
    p.add_argument("--classes", metavar="FILE", help="staff: the class snapshot committed by the draw (v2)")
    p.set_defaults(run=_verify)
    p = sub.add_parser("key", help="print the key of identifiers under a seed (check your own ticket)")
    p.add_argument("--seed", required=True)
    p.add_argument("ids", nargs="+")
    p.set_defaults(run=_key)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InfeasibleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except DrawError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. a malformed --seed
        print(f"error: {exc}", file=sys.stderr)
        return 2
