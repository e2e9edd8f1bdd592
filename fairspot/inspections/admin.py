from django.contrib import admin

from fairspot.audit.admin_mixins import AuditedAdminMixin
from fairspot.inspections.models import DisplayRule


@admin.register(DisplayRule)
class DisplayRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The office sets, per result category, how long it is shown and whether credit repair is allowed."""

    list_display = ["result_code", "negative", "display_months", "repairable", "repair_after_months", "basis"]
    list_filter = ["negative", "repairable", "result_code__scheme"]
    list_editable = ["negative", "display_months", "repairable", "repair_after_months"]
    readonly_fields = ["result_code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
