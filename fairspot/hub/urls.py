from django.urls import path

from fairspot.hub import export_views, views

app_name = "hub"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("imports/", views.imports, name="imports"),
    path("imports/<str:kind>/new/", views.import_start, name="import_start"),
    path("imports/columns/", views.docs_imports, name="docs_imports"),
    path("imports/<str:kind>/template.<str:fmt>", views.import_template, name="import_template"),
    path("imports/job/<uuid:pk>/", views.import_job, name="import_job"),
    path("imports/job/<uuid:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/job/<uuid:pk>/errors.<str:fmt>", views.import_report, name="import_report"),
    path("exports/<uuid:pk>/", export_views.export_job, name="export_job"),
    path("exports/<uuid:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/<uuid:pk>/file/", export_views.export_download, name="export_download"),
]
