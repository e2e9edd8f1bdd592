from django.urls import path

from fairspot.inspectors import views

app_name = "inspectors"
urlpatterns = [
    path("", views.inspector_list, name="list"),
    path("new/", views.inspector_edit, name="create"),
    path("<int:pk>/", views.inspector_detail, name="detail"),
    path("<int:pk>/edit/", views.inspector_edit, name="edit"),
    path("experts/", views.expert_list, name="experts"),
    path("experts/new/", views.expert_edit, name="expert_create"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("conflicts/", views.conflict_list, name="conflicts"),
    path("conflicts/new/", views.conflict_edit, name="conflict_create"),
    path("conflicts/<int:pk>/edit/", views.conflict_edit, name="conflict_edit"),
]
