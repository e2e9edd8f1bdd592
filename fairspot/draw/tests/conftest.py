"""Shared builders for the draw-engine tests (plain pytest, no database)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture
def population_rows() -> list[dict[str, str]]:
    return rows()
