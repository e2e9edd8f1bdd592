"""The joint meeting's front page (composition, meetings, reminders) and the changes of its members."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.core.exporting import export_response
from fairspot.council import selectors, services
from fairspot.council.forms import ChangeForm, DecideChangeForm
from fairspot.council.models import ChangeStatus
from fairspot.council.rules import is_convenor, is_office, require_council_office
from fairspot.council.views.common import council_page, form_page

MEMBER_HEADER = ["类别", "单位", "分管负责人", "职务", "联络员", "联系电话", "起始日期"]


@council_page
def index(request):
    user = request.user
    members = selectors.members()
    if request.GET.get("export"):
        rows = (
            [
                m.get_kind_display(),
                m.department.name,
                m.leader,
                m.leader_title,
                m.liaison,
                m.liaison_phone,
                m.since.isoformat(),
            ]
            for m in members
        )
        return export_response("council-members", MEMBER_HEADER, rows, request.GET["export"])
    return render(
        request,
        "council/index.html",
        {
            "posts": selectors.posts(),
            "members": members,
            "meetings": selectors.meetings()[:30],
            "pending": selectors.changes().filter(status=ChangeStatus.PROPOSED),
            "reminders": selectors.reminders_for(user),
            "overdue": selectors.overdue_items(user, timezone.localdate())[:10],
            "is_office": is_office(user),
            "is_convenor": is_convenor(user),
            "awaiting": selectors.awaiting_convenor() if is_convenor(user) else None,
            "today": timezone.localdate(),
        },
    )


@council_page
def changes(request):
    return render(
        request,
        "council/changes.html",
        {"changes": selectors.changes()[:200], "is_office": is_office(request.user)},
    )


@council_page
def change_propose(request):
    form = ChangeForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.change_propose(
            actor=request.user, department=data["department"], kind=data["kind"], values=form.values()
        ),
        title=_("Propose a change of members"),
        back=lambda change: "council:changes",
    )


@council_page
def change_decide(request, pk: int):
    require_council_office(request.user)
    change = get_object_or_404(selectors.changes(), pk=pk)
    form = DecideChangeForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.change_decide(
            actor=request.user, change=change, meeting=data["meeting"], confirmed=data["confirmed"]
        ),
        title=_("Record the meeting's decision on a change of members"),
        back=lambda value: "council:changes",
        context={"subject": change},
    )
