"""Canonical bytes and exact numbers: the ground every digest stands on.

* :func:`canonical_json` — RFC 8785 (JCS) restricted to what the protocol allows: objects with string
  keys, arrays, strings, booleans, null and integers with ``|i| <= 2**53 - 1``. Floats are refused, so
  JCS's number formatting never comes into play and canonicalisation is exact in every language.
* :func:`parse_canonical_json` — parses a document and refuses it unless its bytes are exactly the
  canonical form (so a changed space, key order or escape is a detectable change).
* Decimal strings ("0.05") are the only way to write a fraction; :func:`parse_decimal` turns one into an
  exact :class:`fractions.Fraction`, :func:`canonical_decimal` gives the one spelling kept in documents.
* :func:`tagged_hash` — SHA-256 over a domain-separation tag and length-prefixed parts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from fractions import Fraction
from typing import Any

from .errors import CanonicalError

PROTOCOL = "fairspot-draw/1"
PROTOCOL_V2 = "fairspot-draw/2"  # target draws only: true πps inclusion probabilities, floors, class tables
PROTOCOLS = (PROTOCOL, PROTOCOL_V2)
MAX_SAFE_INT = 2**53 - 1  # I-JSON: larger integers are not exact in every JSON parser

_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")


def lp(data: bytes) -> bytes:
    """Length-prefix ``data`` with its length as 8 bytes big-endian (makes concatenation unambiguous)."""
    return len(data).to_bytes(8, "big") + data


def tagged_hash(tag: str, *parts: bytes) -> bytes:
    """SHA-256( LP(tag) ‖ LP(part1) ‖ LP(part2) ‖ … ) — the protocol's one hashing pattern."""
    h = hashlib.sha256(lp(tag.encode("ascii")))
    for part in parts:
        h.update(lp(part))
    return h.digest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _utf16_key(key: str) -> bytes:
    # JCS sorts member names by their UTF-16 code units, which differs from code-point order only for
    # characters outside the BMP; encoding to UTF-16-BE and comparing bytes gives exactly that order.
    return key.encode("utf-16-be", "surrogatepass")


def _check_string(s: str, where: str) -> None:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise CanonicalError("string holds a lone surrogate, which UTF-8 cannot carry", where=where) from None


@functools.lru_cache(maxsize=4096)
def _key_json(key: str) -> str:
    """An object key as JSON; keys repeat (every exclusion has "id" and "reason"), so one string each."""
    return json.dumps(key, ensure_ascii=False)


def _encode(obj: Any, out: list[str], where: str) -> None:
    if obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, int):
        if abs(obj) > MAX_SAFE_INT:
            raise CanonicalError(f"integer {obj} is outside ±(2**53-1); write it as a string", where=where)
        out.append(str(int(obj)))
    elif isinstance(obj, float):
        raise CanonicalError(
            f"floats are not allowed in protocol documents (got {obj!r}); write decimals as strings",
            where=where,
        )
    elif isinstance(obj, str):
        _check_string(obj, where)
        # json.dumps(ensure_ascii=False) escapes exactly what JCS escapes (", \\, control characters
        # with the short forms \b \t \n \f \r and \u00xx otherwise) and nothing else.
        out.append(json.dumps(obj, ensure_ascii=False))
    elif isinstance(obj, dict):
        for key in obj:
            if not isinstance(key, str):
                raise CanonicalError(f"object key {key!r} is not a string", where=where)
            _check_string(key, where)
        out.append("{")
        for i, key in enumerate(sorted(obj, key=_utf16_key)):
            if i:
                out.append(",")
            out.append(_key_json(key))
            out.append(":")
            _encode(obj[key], out, f"{where}.{key}")
        out.append("}")
    elif isinstance(obj, list | tuple):
        out.append("[")
        for i, item in enumerate(obj):
            if i:
                out.append(",")
            if isinstance(item, dict | list | tuple):
                # a container item is joined at once: a list of millions of objects (a province's
                # exclusions) then holds one string per item, not a dozen pieces
                part: list[str] = []
                _encode(item, part, f"{where}[{i}]")
                out.append("".join(part))
            else:
                _encode(item, out, f"{where}[{i}]")
        out.append("]")
    else:
        raise CanonicalError(f"value of type {type(obj).__name__} cannot be put in a document", where=where)


def _plain(obj: Any) -> bool:
    """True when ``obj`` can take the fast path: only dict/list/str/int/bool/None, ints in range, and
    keys within the BMP (where code-point order equals JCS's UTF-16 order)."""
    stack = [obj]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if -MAX_SAFE_INT <= item <= MAX_SAFE_INT:
                continue
            return False
        if kind is dict:
            for key in item:
                if type(key) is not str or (not key.isascii() and max(key) > "\uffff"):
                    return False
            push(item.values())
        elif kind is list:
            push(item)
        else:
            return False
    return True


def canonical_json(obj: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``obj`` (no floats, integers within ±(2**53-1))."""
    if _plain(obj):
        # The C encoder gives the same bytes as the reference walk below for such values: sort_keys
        # orders by code point, escapes match JCS; lone surrogates fail at encode("utf-8").
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            pass  # the reference walk names where the lone surrogate is
    out: list[str] = []
    _encode(obj, out, "$")
    return "".join(out).encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise CanonicalError(f"duplicate object key {key!r}")
        result[key] = value
    return result


def _no_float(text: str) -> Any:
    raise CanonicalError(f"number {text} is not an integer; floats are not allowed in protocol documents")


def _no_constant(text: str) -> Any:
    raise CanonicalError(f"{text} is not valid JSON")


def loads_strict(data: bytes, *, where: str | None = None) -> Any:
    """Parse JSON refusing floats, NaN/Infinity and duplicate keys (input need not be canonical)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CanonicalError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})", where=where) from None
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicates, parse_float=_no_float, parse_constant=_no_constant
        )
    except CanonicalError as exc:
        raise CanonicalError(exc.message, where=where) from None
    except json.JSONDecodeError as exc:
        raise CanonicalError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", where=where
        ) from None


def parse_canonical_json(data: bytes, *, where: str | None = None) -> Any:
    """Parse a protocol document; refuse it unless ``data`` is exactly its canonical form."""
    obj = loads_strict(data, where=where)
    if canonical_json(obj) != data:
        raise CanonicalError("document is valid JSON but not in canonical (RFC 8785) form", where=where)
    return obj


def parse_decimal(value: Any, *, where: str) -> Fraction:
    """Exact value of a decimal string such as "0.05" (an int is accepted too). No sign, no exponent."""
    if isinstance(value, bool):
        raise CanonicalError(f'expected a decimal string like "0.05", got {value!r}', where=where)
    if isinstance(value, int):
        if value < 0:
            raise CanonicalError(f"negative number {value} is not allowed", where=where)
        return Fraction(value)
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise CanonicalError(f'expected a decimal string like "0.05", got {value!r}', where=where)
    return Fraction(value)  # Fraction parses a decimal string exactly, without going through float


def canonical_decimal(value: Any, *, where: str) -> str:
    """The one spelling of a decimal kept in documents: no leading zeros, no trailing fractional zeros."""
    if isinstance(value, int) and not isinstance(value, bool):
        parse_decimal(value, where=where)
        return str(value)
    parse_decimal(value, where=where)
    whole, _, frac = value.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole
