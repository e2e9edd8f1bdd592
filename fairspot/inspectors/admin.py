from django.contrib import admin

from fairspot.inspectors.models import Conflict, Expert, Inspector


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the staff pages, whose services write the audit log."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


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
