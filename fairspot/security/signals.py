"""A login starts the session's clocks (idle and absolute timeouts)."""

import time

from django.contrib.auth.signals import user_logged_in


def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    from fairspot.security.middleware import LAST_SEEN, LOGIN_AT

    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="fairspot.security.session_clock")
