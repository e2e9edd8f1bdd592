"""Check items of two departments for the plan tests."""

import pytest

from fairspot.testing.plans import item


@pytest.fixture
def items(departments):
    """Market: a general item capped at 5 % and a key item; fire: a general item capped at 5 %."""
    return {
        "general": item(departments["market"], "A01", "general", "0.03", "0.05"),
        "key": item(departments["market"], "K01", "key", "0.3"),
        "fire": item(departments["fire"], "F01", "general", "0.03", "0.05"),
    }
