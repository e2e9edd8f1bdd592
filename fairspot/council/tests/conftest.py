import pytest

from fairspot.testing import council as helpers


@pytest.fixture
def convenor(departments):
    return helpers.convenor_user(departments["market"])


@pytest.fixture
def council(office, departments, convenor):
    helpers.establish(office, departments, convenor)


@pytest.fixture
def held(council, office, convenor):
    return helpers.held_meeting(office, convenor)


@pytest.fixture
def market_item(held, office, departments):
    return helpers.ledger_item(office, held.decision, departments["market"])


@pytest.fixture
def fire_item(held, office, departments):
    return helpers.ledger_item(office, held.decision, departments["fire"])
