"""Fixtures for the draw-engine tests (plain pytest, no database); the builders are in
fairspot.testing.engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairspot.draw import commit_bundle
from fairspot.testing.engine import rows, spec


@pytest.fixture
def population_rows() -> list[dict[str, str]]:
    return rows()


@pytest.fixture
def committed(tmp_path: Path) -> tuple[Path, str]:
    """A committed (not yet revealed) target bundle of 45 rows, and its manifest digest."""
    out = tmp_path / "bundle"
    digest = commit_bundle(out, spec(), rows(45))
    return out, digest
