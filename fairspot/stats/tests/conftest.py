"""Every stats test writes its draw bundles under its own MEDIA_ROOT (the shared ``media`` fixture)."""

import pytest


@pytest.fixture(autouse=True)
def _media(media):
    """The shared ``media`` fixture, for every test here."""
