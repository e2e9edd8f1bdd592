from django.urls import path

from fairspot.credit import estimate_views, views

app_name = "credit"
urlpatterns = [
    path("", views.classes, name="classes"),
    path("changes/", views.changes, name="changes"),
    path("estimates/", estimate_views.estimates_page, name="estimates"),
    path("rules/", views.rules, name="rules"),
    path("hazards/", views.hazards, name="hazards"),
    path("hazards/<str:code>/", views.hazard_edit, name="hazard_edit"),
    path("recompute/", views.recompute, name="recompute"),
    path("recompute/<int:pk>/", views.run, name="run"),
    path("recompute/<int:pk>/progress/", views.run_progress, name="run_progress"),
]
