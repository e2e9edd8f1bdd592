"""Credit-risk classification (信用风险分类): the credit system's class, the class computed from the
firm's own record, and every change of the effective class with its rule and evidence.

The effective class is written to ``directory.Target.risk_class``, which the draws read: draws never
import this room. Classes and scores are internal: no public page, file or API carries them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairspot.directory.models import RiskClass


class HazardLevel(models.IntegerChoices):
    LOW = 0, _("Low hazard")
    GENERAL = 1, _("General hazard")
    ELEVATED = 2, _("Elevated hazard")
    HIGH = 3, _("High hazard")


class IndustryHazard(models.Model):
    """The office's hazard level of one GB/T 4754 division (行业大类); divisions not listed are general."""

    division = models.OneToOneField(
        "reference.Industry",
        verbose_name=_("industry division"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(_("hazard level"), choices=HazardLevel.choices)
    note = models.CharField(_("why"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["division"]
        verbose_name = _("industry hazard")
        verbose_name_plural = _("industry hazards")

    def __str__(self) -> str:
        return f"{self.division} {self.get_level_display()}"


class CreditStanding(models.Model):
    """One target's classes: imported, computed (with score and reasons) and effective."""

    target = models.OneToOneField(
        "directory.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="credit"
    )
    imported_class = models.CharField(
        _("class from the credit system"), max_length=1, choices=RiskClass.choices, blank=True
    )
    imported_on = models.DateField(_("classified on"), null=True, blank=True)
    imported_source = models.CharField(_("source of the class"), max_length=200, blank=True)
    internal_class = models.CharField(
        _("class from the firm's record"), max_length=1, choices=RiskClass.choices, blank=True
    )
    score = models.PositiveIntegerField(_("risk score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    effective_class = models.CharField(
        _("class used by draws"), max_length=1, choices=RiskClass.choices, blank=True
    )
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)

    class Meta:
        ordering = ["target"]
        verbose_name = _("credit-risk standing")
        verbose_name_plural = _("credit-risk standings")

    def __str__(self) -> str:
        return f"{self.target_id} {self.effective_class}"


class ChangeKind(models.TextChoices):
    IMPORTED = "imported", _("Class imported from the credit system")
    COMPUTED = "computed", _("Class computed by the published rules")


class ClassChange(models.Model):
    """A change of a target's effective class: when, by which rule, on what evidence. Never edited."""

    target = models.ForeignKey(
        "directory.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="credit_changes"
    )
    changed_at = models.DateTimeField(_("changed"))
    kind = models.CharField(_("how"), max_length=10, choices=ChangeKind.choices)
    old_class = models.CharField(_("class before"), max_length=1, choices=RiskClass.choices, blank=True)
    new_class = models.CharField(_("class after"), max_length=1, choices=RiskClass.choices, blank=True)
    rule = models.CharField(_("rule"), max_length=500)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    score = models.PositiveIntegerField(_("risk score"), null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("class change")
        verbose_name_plural = _("class changes")
        indexes = [models.Index(fields=["target", "-changed_at"], name="classchange_target_at")]

    def __str__(self) -> str:
        return f"{self.target_id} {self.old_class}→{self.new_class}"


class ReportStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    ZERO = "zero", _("Filed with all figures zero")
    MISSING = "missing", _("Not filed")


class AnnualReport(models.Model):
    """Whether a firm filed its annual report (年报) for a year, as the registration system says."""

    target = models.ForeignKey(
        "directory.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("annual report"), max_length=8, choices=ReportStatus.choices)

    class Meta:
        ordering = ["target", "-year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="annualreport_once")]

    def __str__(self) -> str:
        return f"{self.target_id} {self.year} {self.status}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Recompute(models.Model):
    """One recomputation of every class (monthly, or on the office's request), with its progress."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(_("targets"), default=0)
    done = models.PositiveIntegerField(_("targets done"), default=0)
    changed = models.PositiveIntegerField(_("classes changed"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recomputation of classes")
        verbose_name_plural = _("recomputations of classes")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def percent(self) -> int:
        return 100 if self.status == RunStatus.DONE else (100 * self.done // self.total if self.total else 0)
