from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fairspot.accounts.models import Department, User
from fairspot.audit.admin_mixins import AuditedAdminMixin


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "is_office", "sort_order"]


@admin.register(User)
class FairspotUserAdmin(AuditedAdminMixin, UserAdmin):
    list_display = ["username", "first_name", "role", "department", "is_active"]
    list_filter = ["role", "department", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Fairspot", {"fields": ("role", "department")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Fairspot", {"fields": ("role", "department")}))
