from django.contrib import admin

from fairspot.audit.admin_mixins import AuditedAdminMixin
from fairspot.directory.models import SpecialLibrary, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Edits through the admin bypass the services' audit entries, so the admin is read-only for targets."""

    list_display = ["identifier", "name", "entity_type", "status", "department"]
    search_fields = ["identifier", "name"]
    list_filter = ["entity_type", "status", "risk_class"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SpecialLibrary)
class SpecialLibraryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "department"]
