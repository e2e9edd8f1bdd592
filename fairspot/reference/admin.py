from django.contrib import admin

from fairspot.audit.admin_mixins import AuditedAdminMixin
from fairspot.reference.models import CheckMethod, Division, FollowupAction, Industry, ResultCode
from fairspot.reference.selectors import clear_caches


class ReferenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Reference tables come from migrations; corrections made here are audited, and this process's
    cached look-ups are dropped (other processes pick corrections up when they restart)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        clear_caches()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        clear_caches()


for model in (Industry, Division, CheckMethod, ResultCode, FollowupAction):
    admin.site.register(model, ReferenceAdmin)
