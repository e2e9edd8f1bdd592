from django.contrib import admin

from fairspot.audit.admin_mixins import AuditedAdminMixin
from fairspot.reference.models import CheckMethod, Division, FollowupAction, Industry, ResultCode


class ReferenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Reference tables come from migrations; corrections made here are audited."""


for model in (Industry, Division, CheckMethod, ResultCode, FollowupAction):
    admin.site.register(model, ReferenceAdmin)
