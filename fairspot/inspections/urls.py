from django.urls import path

from fairspot.inspections.views import approvals, caps, documents, lines, lists, questions, visit, withdrawals

app_name = "inspections"
urlpatterns = [
    path("", lists.visit_list, name="visits"),
    path("from-draw/", lists.create_for_draw, name="create_for_draw"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("approvals/draw/", approvals.approve_draw, name="approve_draw"),
    path("withdrawals/", withdrawals.withdrawals, name="withdrawals"),
    path("checks-per-firm/", caps.checks_per_firm, name="checks_per_firm"),
    path("withdrawals/<int:pk>/decide/", withdrawals.withdrawal_decide, name="withdrawal_decide"),
    path("due/", lists.due, name="due"),
    path("reminders/", lists.reminders, name="reminders"),
    path("questions/", questions.questions, name="questions"),
    path("<int:pk>/", visit.visit_detail, name="visit"),
    path("<int:pk>/finish/", visit.visit_finish, name="finish"),
    path("<int:pk>/replace/", visit.visit_replace, name="replace"),
    path("<int:pk>/alternate/<int:request_pk>/decide/", visit.alternate_decide, name="alternate_decide"),
    path("<int:pk>/notice/", documents.notice, name="notice"),
    path("<int:pk>/notice.pdf", documents.notice_pdf, name="notice_pdf"),
    path("<int:pk>/record-form/", documents.record_form, name="record_form"),
    path("<int:pk>/record-form.pdf", documents.record_pdf, name="record_pdf"),
    path("items/<int:pk>/record/", lines.line_record, name="line_record"),
    path("items/<int:pk>/result/", lines.line_result, name="line_result"),
    path("items/<int:pk>/review/", lines.line_review, name="line_review"),
    path("items/<int:pk>/publish/", lines.line_publish, name="line_publish"),
    path("items/<int:pk>/correct/", lines.line_correct, name="line_correct"),
    path("items/<int:pk>/attachments/", lines.line_attach, name="line_attach"),
    path("items/<int:pk>/quiz/", lines.line_quiz, name="line_quiz"),
    path("items/<int:pk>/followup/", lines.line_followup, name="line_followup"),
    path("followups/<int:pk>/close/", lines.followup_close, name="followup_close"),
    path("attachments/<int:pk>/", lines.attachment, name="attachment"),
]
