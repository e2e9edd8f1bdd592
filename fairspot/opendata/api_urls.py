from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from fairspot.opendata import api, plans_api

app_name = "opendata_api"

urlpatterns = [
    path("v1/", api.conditional(api.IndexView.as_view()), name="index"),
    path("v1/results/", api.conditional(api.ResultsView.as_view()), name="results"),
    path("v1/plans/", api.conditional(plans_api.PlansView.as_view()), name="plans"),
    path("v1/ping", api.ping, name="ping"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
