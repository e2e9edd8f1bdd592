"""core.actions: a service's refusal becomes a message or a form error; anything else passes through."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from fairspot.core import actions
from fairspot.core.errors import DomainError


class NoteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField()


def make_request():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def texts(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def refuse(field=None):
    def action():
        raise DomainError("Not now.", field=field)

    return action


def test_run_shows_the_success_message_and_returns_the_value():
    request = make_request()
    outcome = actions.run(request, lambda: 3, success=lambda n: f"{n} done.")
    assert outcome and outcome.value == 3 and texts(request) == [("success", "3 done.")]


def test_run_shows_a_refusal_as_an_error_message():
    request = make_request()
    outcome = actions.run(request, refuse(), success="Done.")
    assert not outcome and outcome.error.message == "Not now." and texts(request) == [("error", "Not now.")]


def test_run_form_puts_the_refusal_on_the_shown_field_else_on_the_form():
    form = NoteForm({"version": 1, "note": "x"})
    assert form.is_valid()
    assert not actions.run_form(form, refuse("note"))
    assert form.errors["note"] == ["Not now."]
    for field in ("version", "missing", None):  # hidden, unknown, none: the form as a whole
        form = NoteForm({"version": 1, "note": "x"})
        form.is_valid()
        actions.run_form(form, refuse(field))
        assert form.non_field_errors() == ["Not now."] and list(form.errors) == ["__all__"]


def test_run_form_messages_only_when_asked():
    request = make_request()
    form = NoteForm({"version": 1, "note": "x"})
    form.is_valid()
    actions.run_form(form, refuse(), request=request, success="Saved.")
    assert texts(request) == []
    actions.run_form(form, refuse(), request=request, also_message=True)
    assert texts(request) == [("error", "Not now.")]
    assert actions.run_form(form, lambda: None, request=request, success="Saved.")
    assert texts(request) == [("error", "Not now."), ("success", "Saved.")]


def test_other_exceptions_pass_through():
    def forbidden():
        raise PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.run(make_request(), forbidden)
