"""The audit log as staff see it (their department's entries; the office sees all) and its verification."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from fairspot.audit.labels import action_choices
from fairspot.audit.selectors import entries_for, reads_whole_audit_log, verify_chain
from fairspot.core.exporting import export_response

HEADER = ["时间", "操作人", "操作", "对象类型", "对象编号", "对象", "变更", "条目哈希"]


@login_required
def audit_list(request):
    qs = entries_for(request.user)
    action = request.GET.get("action", "")[:100]
    if action:
        qs = qs.filter(action__startswith=action)
    fmt = request.GET.get("export")
    if fmt:
        rows = (
            [
                e.at.isoformat(),
                e.actor_name,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                str(e.changes) if e.changes else "",
                e.entry_hash,
            ]
            for e in qs.iterator(chunk_size=2000)
        )
        return export_response("audit-log", HEADER, rows, fmt)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/audit_list.html",
        {
            "page": page,
            "action": action,
            "action_choices": action_choices(),
            "params": f"action={action}" if action else "",
            "can_verify": reads_whole_audit_log(request.user),
        },
    )


@login_required
def audit_verify(request):
    if not reads_whole_audit_log(request.user):
        raise PermissionDenied(
            _("Only the office and the system or audit administrator verify the audit log.")
        )
    return render(request, "audit/audit_verify.html", {"report": verify_chain()})
