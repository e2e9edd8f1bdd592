"""Every file a logged-in user downloads as an attachment (exports, templates, bundles) is audited."""

import re

from django.db import transaction

from fairspot.audit.services import record

_FILENAME = re.compile(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)")


class ExportAuditMiddleware:
    """Place after AuthenticationMiddleware. Records who downloaded which file, from which page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        user = getattr(request, "user", None)
        if (
            response.status_code == 200
            and disposition.startswith("attachment")
            and user is not None
            and user.is_authenticated
        ):
            match = _FILENAME.search(disposition)
            with transaction.atomic():
                record(
                    user,
                    "export.downloaded",
                    object_type="export",
                    object_repr=(match.group(1) if match else request.path)[:255],
                    department_id=user.department_id,
                    data={"path": request.path[:300], "query": request.GET.urlencode()[:500]},
                )
        return response
