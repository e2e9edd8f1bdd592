from django.urls import path

from fairspot.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.report, name="report"),
    path("rows/", views.rows, name="rows"),
    path("failures/", views.failures, name="failures"),
    path("diligence/<int:pk>/", views.diligence, name="diligence"),
]
