"""A per-address limit on check-code pages, so codes cannot be enumerated (a wrong code looks like any
other missing page, and an address that asks too often is told to wait).

Counts live in the default cache (a file cache shared by the serving processes), one counter per client
address and fixed window; the address is resolved as for the login lockout (``FAIRSPOT_PROXY_COUNT``).
``FAIRSPOT_CHECK_CODE_RATE_LIMIT`` requests per ``FAIRSPOT_CHECK_CODE_RATE_WINDOW`` seconds; 0: no limit.
"""

from __future__ import annotations

import hashlib
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache


def _key(request, window: int) -> str:
    address = get_client_ip_address(request) or "unknown"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"fairspot:checkcode:{digest}:{int(time.time() // window)}"


def over_limit(request) -> bool:
    """Count this request against its address; True when the address has asked too often."""
    limit = settings.FAIRSPOT_CHECK_CODE_RATE_LIMIT
    if limit <= 0:
        return False
    window = max(1, settings.FAIRSPOT_CHECK_CODE_RATE_WINDOW)
    key = _key(request, window)
    if cache.add(key, 1, window + 5):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 5)
        count = 1
    return count > limit
