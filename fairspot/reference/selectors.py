"""Look-ups of reference data used by imports and forms.

Cached per process: the tables change only by migration.
"""

from functools import lru_cache

from fairspot.reference.models import CheckMethod, Division, Industry


@lru_cache(maxsize=1)
def industry_codes() -> frozenset[str]:
    return frozenset(Industry.objects.values_list("code", flat=True))


def industry_section(code: str) -> str | None:
    """The GB/T 4754 section letter for a section, division or finer code (e.g. 3841 → C), else None."""
    code = code.strip().upper()
    known = industry_codes()
    if len(code) == 1 and code.isalpha():
        return code if code in known else None
    if not code.isdigit() or len(code) not in (2, 3, 4) or code[:2] not in known:
        return None
    return _division_sections()[code[:2]]


@lru_cache(maxsize=1)
def _division_sections() -> dict[str, str]:
    return dict(Industry.objects.filter(level="division").values_list("code", "parent_id"))


@lru_cache(maxsize=1)
def region_lookup() -> dict[str, tuple[str, str | None]]:
    """Code or name of a township-level or village-level division → (township code, community code)."""
    rows = list(
        Division.objects.filter(level__in=["乡级", "村级"]).values_list("code", "name", "level", "parent_id")
    )
    lookup: dict[str, tuple[str, str | None]] = {}
    names: dict[str, list[tuple[str, str | None]]] = {}
    for code, name, level, parent in rows:
        value = (code, None) if level == "乡级" else (parent, code)
        lookup[code] = value
        lookup[code.ljust(12, "0")] = value
        for alias in {name, name.removeprefix("开发区")}:
            names.setdefault(alias, []).append(value)
    for name, values in names.items():
        if len(values) == 1:  # ambiguous names (e.g. two 城关镇) must be given by code
            lookup.setdefault(name, values[0])
    return lookup


@lru_cache(maxsize=1)
def method_codes() -> dict[str, str]:
    """Method code or label → code."""
    out: dict[str, str] = {}
    for code, label in CheckMethod.objects.values_list("code", "label"):
        out[code] = code
        out[label] = code
    return out


def clear_caches() -> None:
    for fn in (industry_codes, _division_sections, region_lookup, method_codes, _method_labels):
        fn.cache_clear()


def township_lookup() -> dict[str, str]:
    """Township/street code or name → township code (communities are not accepted here)."""
    return {key: town for key, (town, community) in region_lookup().items() if community is None}


def stratum_names() -> dict[str, str]:
    """Code → name for the values a stratum is made of: industry sections and divisions (GB/T 4754)
    and townships (without the district's 开发区 prefix). The codes never collide (letters, 2 and 9
    digits)."""
    from fairspot.reference.models import Division, Industry

    names = dict(Industry.objects.values_list("code", "name"))
    names.update(
        (code, name.removeprefix("开发区")) for code, name in Division.objects.values_list("code", "name")
    )
    return names


def stratum_label(values, names: dict[str, str]) -> str:
    """A stratum in words, e.g. “批发和零售业 / 关堤乡” (the codes stay in the bundle); “—” for none."""
    return " / ".join(names.get(v, v) for v in values) or "—"


@lru_cache(maxsize=1)
def _method_labels() -> dict[str, str]:
    return dict(CheckMethod.objects.values_list("code", "label"))


def method_names(codes: str) -> str:
    """A check item's permitted methods in words, e.g. “1,2” → “书面检查、实地核查” (“—” for none).
    The methods are reference data loaded by migrations: read once per process, like ``method_codes``."""
    labels = _method_labels()
    names = [labels.get(c.strip(), c.strip()) for c in (codes or "").split(",") if c.strip()]
    return "、".join(names) or "—"
