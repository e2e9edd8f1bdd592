"""Every inspections test writes its bundles under its own MEDIA_ROOT.

The district, its revealed draw (inspection date 2025-09-22), visits, officer and reviewer are shared
fixtures (fairspot.testing.fixtures)."""

import pytest


@pytest.fixture(autouse=True)
def _media(media):
    """The shared ``media`` fixture, for every test here."""
