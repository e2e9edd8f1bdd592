from django.urls import path

from fairspot.stats import dashboard_views, views

app_name = "stats"
urlpatterns = [
    path("", views.report, name="report"),
    path("rows/", views.rows, name="rows"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("assessment/", dashboard_views.assessment, name="assessment"),
    path("failures/", views.failures, name="failures"),
    path("diligence/<int:pk>/", views.diligence, name="diligence"),
]
