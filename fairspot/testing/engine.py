"""Builders for the draw engine's tests: plain Python like the engine (no Django, no database).

Populations, draw specs and matching problems, the two public sources, and a snapshot of a directory
(to assert that nothing was written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fairspot.draw import match_inspectors, matching_manifest

DRAND = {"name": "drand", "kind": "drand", "round": 5_000_000, "chain": "quicknet", "fallback": "next round"}
CLOSE = {
    "name": "sse_close",
    "kind": "public_number",
    "format": r"^\d+\.\d{2}$",
    "description": "SSE Composite Index close on 2026-03-02",
    "deadline": "2026-03-02T18:00:00+08:00",
    "fallback": "close of the next trading day",
}
SOURCES = {"drand": "7f" * 32, "sse_close": "3051.23"}


def rows(
    n: int = 60, *, towns: tuple[str, ...] = ("关堤乡", "振中街道", 'Town, "X"')
) -> list[dict[str, str]]:
    return [
        {
            "id": f"9141070{i:011d}",
            "township": towns[i % len(towns)],
            "section": "CF"[i % 2],
            "w": str(1 + i % 5),
        }
        for i in range(n)
    ]


def spec(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "draw_id": "test-001",
        "stratify_by": ["township"],
        "ratio": "0.2",
        "alternates": 2,
        "sources": [DRAND, CLOSE],
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` with its bytes (to assert that nothing was written)."""
    if not directory.exists():
        return {}
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()
    }


def inspector(ident, dept, *, quals=(), posted="P", lives="L", cap=3, expires="2027-12-31"):
    return {
        "id": ident,
        "department": dept,
        "certificate_expires": expires,
        "qualifications": list(quals),
        "township_posted": posted,
        "township_residence": lives,
        "capacity": cap,
    }


def task(ident, *, depts=("market",), quals=(), township="A", date="2026-03-10", size=2, target=None):
    out = {
        "id": ident,
        "date": date,
        "township": township,
        "departments": list(depts),
        "qualifications": list(quals),
        "team_size": size,
    }
    if target:
        out["target"] = target
    return out


def mspec(tasks, inspectors, **kw):
    return {
        "kind": "matching",
        "draw_id": "m-test",
        "rules": {"same_township": True},
        "tasks": tasks,
        "inspectors": inspectors,
        "sources": [DRAND],
        **kw,
    }


def small_problem():
    inspectors = [
        inspector("M1", "market", quals=["food"], posted="A"),  # same township as T1
        inspector("M2", "market", quals=["food"], expires="2026-03-01"),  # expired before every task
        inspector("M3", "market", quals=["food"]),
        inspector("M4", "market", cap=1),
        inspector("M5", "market", quals=["drugs"], lives="B"),
        inspector("H1", "health", quals=["food"]),
        inspector("H2", "health"),
        inspector("H3", "health", quals=["food"], cap=1),
        inspector("H4", "health", lives="C"),  # lives in T3's township
        inspector("H5", "health", quals=["drugs"]),
        inspector("H6", "health", quals=["food"], posted="B"),
    ]
    tasks = [
        task("T1", quals=["food"], township="A", target="F1"),
        task("T2", depts=["market", "health"], quals=["food"], township="B", target="F2"),
        task("T3", depts=["health"], township="C", size=3, target="F3"),
        task("T4", depts=["market"], township="D", target="F4"),
    ]
    return mspec(
        tasks,
        inspectors,
        recusals=[{"inspector": "M3", "target": "F2"}],
        recent=[{"inspector": "H1", "target": "F3"}],
    )


def run(spec, drand="7f" * 32):
    manifest = matching_manifest(spec)
    result = match_inspectors(manifest, {"drand": drand})
    return manifest, result
