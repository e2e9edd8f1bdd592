"""Breadcrumbs for staff pages: 工作台 › the menu group › the section, from the page's URL namespace.

The menu (templates/base.html) groups the apps by the work; a page shows where it sits in that menu
without each template spelling it out. The section links to the app's main list, so an officer deep in
a draw or a visit goes back up in one click.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# namespace → (menu group, section, the section's main page)
SECTIONS = {
    "directory": (_("Directories"), _("Targets"), "directory:list"),
    "inspectors": (_("Directories"), _("Inspectors"), "inspectors:list"),
    "items": (_("Directories"), _("Check items"), "items:list"),
    "plans": (_("Plans and draws"), _("Annual plans"), "plans:list"),
    "draws": (_("Plans and draws"), _("Tasks and draws"), "draws:tasks"),
    "inspections": (_("Inspections and results"), _("Visits"), "inspections:visits"),
    "cases": (_("Inspections and results"), _("Cases"), "cases:list"),
    "credit": (_("Credit and statistics"), _("Credit-risk classes"), "credit:classes"),
    "stats": (_("Credit and statistics"), _("Statistics and assessment"), "stats:report"),
    "council": (_("Joint meeting"), _("Members and meetings"), "council:index"),
    "holidays": (_("System"), _("Working-day calendar"), "holidays:list"),
    "audit": (_("System"), _("Audit log"), "audit:list"),
}


def breadcrumbs(request) -> dict:
    match = getattr(request, "resolver_match", None)
    section = SECTIONS.get(match.namespace if match else "")
    if section is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    group, title, name = section
    try:
        url = reverse(name)
    except NoReverseMatch:
        return {}
    here = request.path == url
    return {"breadcrumbs": {"group": group, "title": title, "url": url, "here": here}}
