"""URL configuration: staff pages, accounts and the Django admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

from fairspot.accounts.views import PasswordChangeView


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; the pages link the SVG itself (the
    static name is resolved per request: hashed names exist only after collectstatic)."""
    return redirect(static("fairspot/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/security/", include("fairspot.security.urls")),
    path("directory/", include("fairspot.directory.urls")),
    path("inspectors/", include("fairspot.inspectors.urls")),
    path("items/", include("fairspot.items.urls")),
    path("holidays/", include("fairspot.holidays.urls")),
    path("audit/", include("fairspot.audit.urls")),
    path("draws/", include("fairspot.draws.urls")),
    path("plans/", include("fairspot.plans.urls")),
    path("inspections/", include("fairspot.inspections.urls")),
    path("cases/", include("fairspot.cases.urls")),
    path("credit/", include("fairspot.credit.urls")),
    path("council/", include("fairspot.council.urls")),
    path("stats/", include("fairspot.stats.urls")),
    path("api/", include("fairspot.opendata.api_urls")),
    path("public/results/", include("fairspot.opendata.urls")),
    path("public/", include("fairspot.portal.urls")),
    path("", include("fairspot.hub.urls")),
]
