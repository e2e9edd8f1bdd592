"""Django admin changes leave audit entries like every other write (who, when, which fields changed)."""

from django.contrib import admin
from django.db import transaction

from fairspot.audit.services import diff, record
from fairspot.core.records import snapshot

SECRET_FIELDS = frozenset({"password"})


def _visible(obj) -> dict:
    data = snapshot(obj)
    for field in SECRET_FIELDS & data.keys():
        data[field] = "(changed)" if data[field] else ""
    return data


class AuditedAdminMixin:
    """Mix into a ModelAdmin: save and delete write an ``admin.<model>.<verb>`` audit entry."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = _visible(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
            old_password = before.get("password")
            super().save_model(request, obj, form, change)
            after = _visible(obj)
            if (
                change
                and old_password is not None
                and obj.password != type(obj).objects.get(pk=obj.pk).password
            ):
                after["password"] = "(new)"  # noqa: S105 - a marker, never the hash
            record(
                request.user,
                f"admin.{obj._meta.model_name}.{'changed' if change else 'created'}",
                obj,
                changes=diff(before, after),
            )

    def save_related(self, request, form, formsets, change):
        before = _visible(form.instance)
        super().save_related(request, form, formsets, change)
        changes = diff(before, _visible(form.instance))
        if changes:
            record(
                request.user,
                f"admin.{form.instance._meta.model_name}.related_changed",
                form.instance,
                changes=changes,
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            before, label, pk = _visible(obj), str(obj), obj.pk
            super().delete_model(request, obj)
            record(
                request.user,
                f"admin.{obj._meta.model_name}.deleted",
                object_type=obj._meta.label_lower,
                object_id=str(pk),
                object_repr=label,
                changes=diff(before, {}),
            )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the staff pages, whose services write the audit log."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
