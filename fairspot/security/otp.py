"""TOTP second factor (django-otp): who must have one, enrolment and verification as audited services."""

import io
import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairspot.accounts.models import Role
from fairspot.audit.services import record

DEVICE_NAME = "TOTP"


def required_for(user) -> bool:
    """System administrators (and superusers) must use a second factor unless the setting is off."""
    return bool(settings.FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN) and (
        user.is_superuser or user.role == Role.SYSADMIN
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret on the first visit, the same one after)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI as an inline SVG QR code, drawn on the server."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]  # no XML declaration inside HTML
    return re.sub(r'width="[^"]+" height="[^"]+"', 'width="220" height="220"', svg, count=1)


def secret_base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode("ascii")


def enrol(request, device: TOTPDevice, token: str) -> bool:
    """Confirm the pending device with a first code; the session counts as verified."""
    if not device.verify_token(token):
        with transaction.atomic():
            record(request.user, "security.totp.failed", request.user, data={"step": "enrol"})
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        record(request.user, "security.totp.enrolled", request.user)
    otp_login(request, device)
    return True


def verify(request, token: str) -> bool:
    """Check a code against the user's confirmed device (django-otp throttles repeated failures)."""
    device = confirmed_device(request.user)
    if device is None or not device.verify_token(token):
        with transaction.atomic():
            record(request.user, "security.totp.failed", request.user, data={"step": "login"})
        return False
    otp_login(request, device)
    with transaction.atomic():
        record(request.user, "security.totp.verified", request.user)
    return True


def remove(actor, user) -> None:
    """Remove a user's devices (the user enrols again at the next login if they must have one)."""
    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        record(actor, "security.totp.removed", user, data={"devices": count})
