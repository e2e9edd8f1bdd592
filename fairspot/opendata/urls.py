from django.urls import path, re_path

from fairspot.opendata import views
from fairspot.opendata.feeds import PublishedResultsFeed

app_name = "opendata"

urlpatterns = [
    path("", views.results, name="results"),
    path("downloads/", views.downloads, name="downloads"),
    re_path(r"^downloads/(?P<name>[a-z0-9-]+\.(?:csv|xlsx|json))$", views.download, name="download"),
    path("feed/", PublishedResultsFeed(), name="feed"),
]
