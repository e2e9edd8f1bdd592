"""What the joint meeting's pages share: the access check and the form page around a service call."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fairspot.core import actions
from fairspot.council.rules import require_council_access


def council_page(view):
    """Logged in, and one of the joint meeting's people (units, office, holders of the posts)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_council_access(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def form_page(request, form, action, *, title: str, back, context=None, template="council/form.html"):
    """GET shows ``form``; a valid POST runs ``action(cleaned_data)`` and goes to ``back(value)``."""
    if request.method == "POST" and form.is_valid():
        done = actions.run_form(form, lambda: action(form.cleaned_data), request=request, success=_("Saved."))
        if done:
            return redirect(back(done.value))
    return render(request, template, {"form": form, "title": title, **(context or {})})
