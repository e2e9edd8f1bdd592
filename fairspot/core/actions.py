"""Running a service from a view: a refusal (``DomainError``) becomes a message or a form error.

A view calls a service through one of two helpers instead of writing ``try/except DomainError``:

``run(request, action, success=...)``
    For a button without a form (publish, decide, create). The refusal is shown as an error message.

``run_form(form, action, request=..., success=...)``
    For a bound, valid form. The refusal is added to the form: to the field it names when that field is
    shown, else to the form as a whole (a hidden ``version`` field, or no field); the page is shown
    again with the input kept. ``also_message=True`` repeats it as an error message at the top.

``action`` is a function without arguments (a ``lambda`` or a local ``def``) that calls the service.
``success`` is the success message: a string, or a function of the action's return value. Both
helpers return an ``Outcome``, true when the action went through; ``outcome.value`` is what it returned.
Only ``DomainError`` is caught: ``PermissionDenied`` and ``Http404`` still become 403 and 404::

    if form.is_valid() and actions.run_form(
        form, lambda: services.visit_finish(actor=request.user, visit=visit, end_date=...),
        request=request, success=_("Field work finished."),
    ):
        return redirect(...)
    return render(...)  # the form, with the refusal on it
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages

from fairspot.core.errors import DomainError

Success = str | Callable[[Any], str] | None


@dataclass(frozen=True)
class Outcome:
    """What became of an action: ``ok`` (also its truth value), the ``value`` it returned, or the
    ``error`` that refused it."""

    ok: bool
    value: Any = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.ok


def _succeeded(request, value, success: Success) -> Outcome:
    if success is not None:
        if request is None:
            raise ValueError("a success message needs the request")
        messages.success(request, success(value) if callable(success) else success)
    return Outcome(ok=True, value=value)


def run(request, action: Callable[[], Any], *, success: Success = None) -> Outcome:
    """Call ``action()``; a ``DomainError`` becomes an error message on ``request``."""
    try:
        value = action()
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return Outcome(ok=False, error=exc)
    return _succeeded(request, value, success)


def run_form(
    form,
    action: Callable[[], Any],
    *,
    request=None,
    success: Success = None,
    also_message: bool = False,
) -> Outcome:
    """Call ``action()``; a ``DomainError`` becomes an error of ``form`` (of the field it names when the
    form shows that field). ``request`` is needed for ``success`` and ``also_message``."""
    try:
        value = action()
    except DomainError as exc:
        form.add_error(_shown_field(form, exc.field), str(exc.message))
        if also_message:
            if request is None:
                raise ValueError("also_message needs the request") from exc
            messages.error(request, str(exc.message))
        return Outcome(ok=False, error=exc)
    return _succeeded(request, value, success)


def _shown_field(form, name: str | None) -> str | None:
    field = form.fields.get(name) if name else None
    return name if field is not None and not field.widget.is_hidden else None
