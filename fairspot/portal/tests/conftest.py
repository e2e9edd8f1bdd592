"""Every portal test writes its bundles under its own MEDIA_ROOT.

The district, its revealed draw and visits are shared fixtures (fairspot.testing.fixtures)."""

import pytest


@pytest.fixture(autouse=True)
def _media(media):
    """The shared ``media`` fixture, for every test here."""
