"""The one application error type: a translatable message shown to the user as a form error / HTTP 400."""


class DomainError(Exception):
    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
