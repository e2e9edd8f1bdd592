"""Check-item lists (抽查事项清单): each department's items, versioned.

``CheckItem`` holds the current content; every change writes a ``CheckItemVersion`` with the full
content as it stands from its effective date, the reason and who made it, so old versions stay readable.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    KEY = "key", _("Key item (重点检查事项)")
    GENERAL = "general", _("General item (一般检查事项)")


class CheckItem(models.Model):
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("item code"), max_length=40)
    name = models.CharField(_("item name"), max_length=200)
    category = models.CharField(_("category"), max_length=100, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    implementing_body = models.CharField(_("implementing body"), max_length=200, blank=True)
    target_scope = models.TextField(_("targets"), blank=True, help_text=_("Which part of the directory"))
    target_entity_types = models.CharField(
        _("entity types covered"), max_length=200, blank=True, help_text=_("Separated by ；; empty = all")
    )
    target_industries = models.CharField(
        _("industries covered"), max_length=255, blank=True, help_text=_("GB/T 4754 codes separated by ；")
    )
    target_library = models.ForeignKey(
        "directory.SpecialLibrary",
        verbose_name=_("special library"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    target_regions = models.CharField(
        _("regions covered"),
        max_length=255,
        blank=True,
        help_text=_("Township codes separated by ；; empty = the whole district"),
    )
    content = models.TextField(_("content"), blank=True)
    checklist = models.TextField(_("checklist points"), blank=True, help_text=_("One point per line"))
    methods = models.CharField(_("permitted methods"), max_length=40, blank=True, help_text=_("Method codes"))
    item_type = models.CharField(_("key or general"), max_length=10, choices=ItemType.choices)
    default_ratio = models.DecimalField(_("default ratio"), max_digits=6, decimal_places=4)
    ratio_cap = models.DecimalField(_("ratio cap"), max_digits=6, decimal_places=4, null=True, blank=True)
    participating_departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("participating departments"), blank=True, related_name="+"
    )
    frequency = models.CharField(_("frequency"), max_length=200, blank=True)
    repeat_window_days = models.PositiveIntegerField(
        _("no repeat check within (days)"),
        default=365,
        help_text=_("Targets checked for this item within this window are excluded"),
    )
    firm_annual_cap = models.PositiveSmallIntegerField(
        _("checks of this item per firm and year"),
        null=True,
        blank=True,
        help_text=_("Empty: only the district's cap per firm applies. Routine draws exclude firms at it."),
    )
    team_size = models.PositiveSmallIntegerField(_("officers per team"), default=2)
    required_qualification = models.CharField(_("qualification required"), max_length=100, blank=True)
    published = models.BooleanField(_("published"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        ordering = ["department__sort_order", "code"]
        verbose_name = _("check item")
        verbose_name_plural = _("check items")
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="item_department_code"),
            models.CheckConstraint(
                condition=Q(default_ratio__gte=0) & Q(default_ratio__lte=1), name="item_ratio_range"
            ),
            models.CheckConstraint(
                condition=Q(ratio_cap__isnull=True) | (Q(ratio_cap__gte=0) & Q(ratio_cap__lte=1)),
                name="item_cap_range",
            ),
            models.CheckConstraint(
                condition=Q(ratio_cap__isnull=True) | Q(default_ratio__lte=models.F("ratio_cap")),
                name="item_ratio_within_cap",
            ),
            models.CheckConstraint(condition=Q(team_size__gte=2), name="item_team_at_least_two"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def method_codes(self) -> list[str]:
        return [m for m in self.methods.split(",") if m]

    @property
    def checklist_points(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]


class CheckItemVersion(models.Model):
    item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    reason = models.CharField(_("reason for the change"), max_length=255)
    content = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["item", "-version"]
        verbose_name = _("check-item version")
        verbose_name_plural = _("check-item versions")
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="itemversion_unique")]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.version}"
