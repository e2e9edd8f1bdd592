from django.urls import path

from fairspot.council.views import ledger, meetings, members, minutes

app_name = "council"
urlpatterns = [
    path("", members.index, name="index"),
    path("changes/", members.changes, name="changes"),
    path("changes/new/", members.change_propose, name="change_propose"),
    path("changes/<int:pk>/decide/", members.change_decide, name="change_decide"),
    path("meetings/plenary/new/", meetings.plenary_create, name="plenary_create"),
    path("meetings/special/new/", meetings.special_request, name="special_request"),
    path("meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/consent/", meetings.consent, name="consent"),
    path("meetings/<int:pk>/schedule/", meetings.schedule, name="schedule"),
    path("meetings/<int:pk>/held/", meetings.hold, name="hold"),
    path("meetings/<int:pk>/topics/new/", meetings.topic_submit, name="topic_submit"),
    path("topics/<int:pk>/decide/", meetings.topic_decide, name="topic_decide"),
    path("meetings/<int:pk>/attendance/", meetings.attendance, name="attendance"),
    path("meetings/<int:pk>/report/", meetings.report, name="report"),
    path("meetings/<int:pk>/minutes/", minutes.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/decisions/new/", minutes.decision_add, name="decision_add"),
    path("meetings/<int:pk>/minutes/approve/", minutes.minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/minutes/publish/", minutes.minutes_publish, name="minutes_publish"),
    path("meetings/<int:pk>/minutes/print/", minutes.minutes_print, name="minutes_print"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("decisions/<int:pk>/items/new/", ledger.item_create, name="item_create"),
    path("ledger/<int:pk>/", ledger.item, name="item"),
    path("ledger/<int:pk>/progress/", ledger.item_progress, name="item_progress"),
    path("ledger/<int:pk>/supervise/", ledger.item_supervise, name="item_supervise"),
    path("ledger/<int:pk>/evidence/", ledger.evidence_add, name="evidence_add"),
    path("milestones/<int:pk>/done/", ledger.milestone_done, name="milestone_done"),
    path("evidence/<int:pk>/", ledger.evidence, name="evidence"),
]
