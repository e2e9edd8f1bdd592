"""Sessions end after an idle time and after an absolute time; staff with a TOTP device (and every
system administrator, who must enrol one) pass the second factor before any staff page or Django admin."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from fairspot.security import otp

LAST_SEEN = "security_last_seen"
LOGIN_AT = "security_login_at"
# Pages an officer may reach before the second factor: the login itself, leaving, and the pages
# that ask for the second factor or a new password.
EXEMPT_URL_NAMES = {"login", "logout", "password_change", "password_change_done", "set_language"}
EXEMPT_NAMESPACES = {"security", "portal", "opendata"}
EXEMPT_PREFIXES = ("/static/", "/media/", "/public/", "/api/", "/i18n/", "/favicon")


def _login_redirect(request):
    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")


class SessionTimeoutMiddleware:
    """Log out after ``FAIRSPOT_SESSION_IDLE_MINUTES`` without a request, and ``SESSION_COOKIE_AGE``
    seconds after the login whatever the activity (the cookie alone would slide with each save)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            idle = settings.FAIRSPOT_SESSION_IDLE_MINUTES * 60
            last_seen = session.get(LAST_SEEN, now)
            login_at = session.setdefault(LOGIN_AT, now)
            if idle > 0 and now - last_seen > idle:
                return self._end(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
                    % {"minutes": idle // 60},
                )
            if now - login_at > settings.SESSION_COOKIE_AGE:
                return self._end(
                    request, _("Your session has reached its maximum length. Please log in again.")
                )
            if now - last_seen >= 30 or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)

    def _end(self, request, message: str):
        logout(request)
        messages.warning(request, message)
        return _login_redirect(request)


class OTPRequiredMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``: a user with a confirmed TOTP device must enter a
    code once per session; a system administrator without one must enrol first
    (``FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if request.path.startswith(EXEMPT_PREFIXES):
            return None
        match = request.resolver_match
        if match is not None and (
            match.url_name in EXEMPT_URL_NAMES or EXEMPT_NAMESPACES & set(match.namespaces)
        ):
            return None
        query = urlencode({"next": request.get_full_path()})
        if otp.confirmed_device(user) is not None:
            return redirect(f"{reverse('security:otp_verify')}?{query}")
        if otp.required_for(user):
            return redirect(f"{reverse('security:otp_setup')}?{query}")
        return None
