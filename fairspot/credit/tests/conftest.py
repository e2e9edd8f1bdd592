"""Every credit test writes its files under its own MEDIA_ROOT."""

import pytest


@pytest.fixture(autouse=True)
def _media(media):
    """The shared ``media`` fixture (fairspot.testing.fixtures), for every test here."""
