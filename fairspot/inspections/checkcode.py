"""The check code (亮码入企) as the firm sees it: the public page's address and its QR code.

The code itself is ``Visit.check_code`` (random, 144 bits, unique); the page that answers it is the
portal's ``/public/check/<code>/`` (named ``portal:check``; reversed by name, the portal is above us).
"""

from __future__ import annotations

import io
import re

import qrcode
import qrcode.image.svg
from django.urls import reverse

from fairspot.inspections.models import Visit


def check_path(visit: Visit) -> str:
    return reverse("portal:check", kwargs={"code": visit.check_code})


def check_url(request, visit: Visit) -> str:
    return request.build_absolute_uri(check_path(visit))


def qr_svg(text: str, size: int = 160) -> str:
    """``text`` as an inline SVG QR code drawn on the server (no script, no external image)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]
    return re.sub(r'width="[^"]+" height="[^"]+"', f'width="{size}" height="{size}"', svg, count=1)
