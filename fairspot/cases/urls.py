from django.urls import path

from fairspot.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.lead_list, name="list"),
    path("new/", views.lead_intake, name="intake"),
    path("special/new/", views.special_create, name="special_create"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/assign/", views.lead_assign, name="assign"),
    path("<int:pk>/approve-check/", views.lead_approve_check, name="approve_check"),
    path("<int:pk>/note/", views.lead_note, name="note"),
    path("<int:pk>/close/", views.lead_close, name="close"),
    path("<int:pk>/reopen/", views.lead_reopen, name="reopen"),
    path("<int:pk>/transfer/", views.lead_transfer, name="transfer"),
]
