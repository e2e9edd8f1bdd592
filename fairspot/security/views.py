"""Second factor pages: enrol a TOTP device, enter a code after the password, turn it off."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.security import otp
from fairspot.security.forms import TokenForm


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@login_required
def otp_setup(request):
    """Shows whether the user has a second factor; enrols one (QR code and secret, then a first code)."""
    user = request.user
    device = otp.confirmed_device(user)
    if device is not None:
        return render(request, "security/otp_status.html", {"required": otp.required_for(user)})
    pending = otp.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.enrol(request, pending, form.cleaned_data["token"]):
            messages.success(request, _("Two-step verification is on. You will enter a code at each login."))
            return redirect(_next(request))
        form.add_error(
            "token", _("That code is not right. Check the phone's time and enter the newest code.")
        )
    return render(
        request,
        "security/otp_setup.html",
        {
            "form": form,
            "qr_svg": otp.qr_svg(pending),
            "secret": otp.secret_base32(pending),
            "required": otp.required_for(user),
            "next": _next(request),
        },
    )


@login_required
def otp_verify(request):
    """The code from the authenticator app, once per session, after the password."""
    if request.user.is_verified() or otp.confirmed_device(request.user) is None:
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.verify(request, form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error(
            "token",
            _(
                "That code is not right, or too many wrong codes were entered: "
                "wait a moment and enter the newest code."
            ),
        )
    return render(request, "security/otp_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_POST
def otp_remove(request):
    """Turn two-step verification off for oneself: only where it is optional, after entering a code."""
    user = request.user
    if otp.required_for(user) or not user.is_verified():
        messages.error(request, _("Two-step verification cannot be turned off for this account."))
    else:
        otp.remove(user, user)
        messages.success(request, _("Two-step verification is off."))
    return redirect("security:otp_setup")
