"""``python -m fairspot.draw`` — see :mod:`fairspot.draw.cli`."""

import sys

from .cli import main

sys.exit(main())
