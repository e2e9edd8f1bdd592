from django.urls import path

from fairspot.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.visit_list, name="visits"),
    path("from-draw/", views.create_for_draw, name="create_for_draw"),
    path("due/", views.due, name="due"),
    path("reminders/", views.reminders, name="reminders"),
    path("questions/", views.questions, name="questions"),
    path("<int:pk>/", views.visit_detail, name="visit"),
    path("<int:pk>/finish/", views.visit_finish, name="finish"),
    path("<int:pk>/replace/", views.visit_replace, name="replace"),
    path("<int:pk>/alternate/<int:request_pk>/decide/", views.alternate_decide, name="alternate_decide"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:pk>/record-form/", views.record_form, name="record_form"),
    path("<int:pk>/record-form.pdf", views.record_pdf, name="record_pdf"),
    path("items/<int:pk>/record/", views.line_record, name="line_record"),
    path("items/<int:pk>/result/", views.line_result, name="line_result"),
    path("items/<int:pk>/review/", views.line_review, name="line_review"),
    path("items/<int:pk>/publish/", views.line_publish, name="line_publish"),
    path("items/<int:pk>/correct/", views.line_correct, name="line_correct"),
    path("items/<int:pk>/attachments/", views.line_attach, name="line_attach"),
    path("items/<int:pk>/quiz/", views.line_quiz, name="line_quiz"),
    path("items/<int:pk>/followup/", views.line_followup, name="line_followup"),
    path("followups/<int:pk>/close/", views.followup_close, name="followup_close"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
