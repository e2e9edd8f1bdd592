"""Logins, failed logins, logouts and password changes are audited (never a password or a hash)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save

from fairspot.audit.services import record


def _ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:45] if request is not None else ""


def on_login(sender, request, user, **kwargs):
    with transaction.atomic():
        record(user, "auth.login", user, data={"ip": _ip(request)})


def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    with transaction.atomic():
        record(user, "auth.logout", user, data={"ip": _ip(request)})


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    with transaction.atomic():
        record(
            None,
            "auth.login_failed",
            object_type=get_user_model()._meta.label_lower,
            object_repr=username,
            data={"username": username, "ip": _ip(request)},
        )


def on_user_saved(sender, instance, created, **kwargs):
    """``set_password`` leaves the new raw password on ``_password`` until the save completes."""
    if created or getattr(instance, "_password", None) is None:
        return
    with transaction.atomic():
        record(None, "auth.password_changed", instance)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="fairspot.audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="fairspot.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="fairspot.audit.login_failed")
    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="fairspot.audit.password")
