from django.contrib import admin

from fairspot.audit.admin_mixins import ReadOnlyAdmin
from fairspot.items.models import CheckItem, CheckItemVersion


@admin.register(CheckItem)
class CheckItemAdmin(ReadOnlyAdmin):
    list_display = ["department", "code", "name", "item_type", "version", "published"]


@admin.register(CheckItemVersion)
class CheckItemVersionAdmin(ReadOnlyAdmin):
    list_display = ["item", "version", "effective_from", "reason"]
