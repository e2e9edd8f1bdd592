"""Fixtures: the draws app's test district and revealed draw, and the inspections app's visits."""

from fairspot.draws.tests.test_workflow import (  # noqa: F401 - fixtures re-exported
    CEREMONY,
    colleague,
    confirm,
    district,
    make_task,
    media,
)
from fairspot.inspections.tests.conftest import (  # noqa: F401 - fixtures re-exported
    draw,
    item,
    line,
    officer,
    reveal,
    reviewer,
    visit,
    visits,
)
