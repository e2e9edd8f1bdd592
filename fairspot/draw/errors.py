"""One exception family for the draw engine.

Every failure a caller can act on is a :class:`DrawError`. ``where`` names the place (a file, a
stratum, a row, a source, a task) so a message can be shown to an operator or an auditor as is.
"""

from __future__ import annotations


class DrawError(Exception):
    """Base of all draw-engine errors: ``DrawError(message, *, where=None)``."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class CanonicalError(DrawError):
    """A document is not canonical JSON, or holds a value the protocol forbids (floats …)."""


class SpecError(DrawError):
    """The draw specification is invalid (ratio out of range, missing column, empty stratum …)."""


class PopulationError(DrawError):
    """The population file is invalid (duplicate id, bad identifier, bad weight …)."""


class SourceError(DrawError):
    """A randomness source is missing, unknown or not in its declared format."""


class BundleError(DrawError):
    """A bundle directory is in the wrong state for the operation (already revealed …)."""


class VerificationError(DrawError):
    """Re-computation does not reproduce what the bundle says; names the first mismatch."""


class MatchingError(DrawError):
    """The inspector-matching problem is invalid."""


class InfeasibleError(MatchingError):
    """No assignment fills every slot of every task; ``problems`` lists what is missing where."""

    def __init__(self, message: str, *, where: str | None = None, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message, where=where)
