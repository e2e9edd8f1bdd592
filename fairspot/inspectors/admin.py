from django.contrib import admin

from fairspot.audit.admin_mixins import ReadOnlyAdmin
from fairspot.inspectors.models import Conflict, Expert, Inspector


@admin.register(Inspector)
class InspectorAdmin(ReadOnlyAdmin):
    list_display = ["staff_no", "name", "department", "certificate_expiry", "status"]
    search_fields = ["staff_no", "name"]


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "department"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ["target", "inspector", "expert", "kind", "valid_from", "valid_to"]
