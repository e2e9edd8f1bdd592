"""Publication governance of results (国市监信规〔2024〕5号 and the provincial schemes that apply it).

* ``DisplayRule`` (公示规则): per result category, whether it is a negative record, how long it is shown
  to the public, and whether (and after how long) the firm may apply for credit repair. The office keeps
  the table (Django admin); a result category without a rule is neither negative nor repairable.
* ``Withholding`` (不予公示): a department asks that an approved result not be published, naming the
  legal basis; the office approves (a second person) or refuses. Approved, the result is ``withheld``:
  it leaves the overdue list, and the public counts show it as withheld, never its content.
* ``Objection`` (异议): the firm objects to a published result, through its check code or at the counter;
  filed late it is still recorded, marked late. The department answers within the working days set by
  ``FAIRSPOT_OBJECTION_ANSWER_DAYS``; upheld, the result gets a visible correction.
* ``CreditRepair`` (信用修复): the firm applies to end the public display of a negative result early,
  where its category's rule allows; granted, the display ends.
* ``DisplayEnd``: the public display of a published result ended — its period ran out (the daily task
  ``end_expired_displays``) or credit repair was granted. The record stays; only public pages drop it.

Rows are never deleted; every change is in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DisplayRule(models.Model):
    result_code = models.OneToOneField(
        "reference.ResultCode",
        verbose_name=_("result"),
        on_delete=models.PROTECT,
        related_name="display_rule",
    )
    negative = models.BooleanField(
        _("negative record"), default=False, help_text=_("A finding against the firm (失信/不良信息)")
    )
    display_months = models.PositiveSmallIntegerField(
        _("shown to the public for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: shown without end. Counted from publication."),
    )
    repairable = models.BooleanField(_("credit repair allowed"), default=False)
    repair_after_months = models.PositiveSmallIntegerField(
        _("repair possible after (months shown)"), default=0
    )
    basis = models.CharField(_("rule source"), max_length=300, blank=True)

    class Meta:
        ordering = ["result_code__scheme", "result_code__code"]
        verbose_name = _("display rule")
        verbose_name_plural = _("display rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(negative=True) | Q(repairable=False), name="displayrule_repair_only_negative"
            )
        ]

    def __str__(self) -> str:
        return str(self.result_code)


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Withholding(models.Model):
    line = models.ForeignKey(
        "inspections.VisitItem",
        verbose_name=_("result"),
        on_delete=models.PROTECT,
        related_name="withholdings",
    )
    legal_basis = models.TextField(_("legal basis"))
    reason = models.TextField(_("why publication is not appropriate"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.CharField(_("office's note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("request not to publish")
        verbose_name_plural = _("requests not to publish")
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=Q(decision="pending"), name="one_pending_withholding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.get_decision_display()}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("a request not to publish is never deleted")


class Channel(models.TextChoices):
    CHECK_CODE = "code", _("Through the check code")
    COUNTER = "counter", _("At the counter")


class ObjectionDecision(models.TextChoices):
    PENDING = "pending", _("Being examined")
    UPHELD = "upheld", _("Upheld: the result was corrected")
    REJECTED = "rejected", _("Not upheld")


class Objection(models.Model):
    line = models.ForeignKey(
        "inspections.VisitItem", verbose_name=_("result"), on_delete=models.PROTECT, related_name="objections"
    )
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices)
    applicant = models.CharField(_("who objects"), max_length=100)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    content = models.TextField(_("the objection"))
    received_on = models.DateField(_("received on"))
    late = models.BooleanField(
        _("filed after the period for objections"),
        default=False,
        help_text=_("Recorded all the same; the department may still examine it"),
    )
    due = models.DateField(_("answer by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ObjectionDecision.choices, default=ObjectionDecision.PENDING
    )
    answer = models.TextField(_("answer to the firm"), blank=True)
    correction = models.OneToOneField(
        "inspections.ResultCorrection",
        verbose_name=_("correction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objection",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="upheld") | Q(correction__isnull=False),
                name="objection_upheld_corrects",
            )
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.get_decision_display()}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("an objection is never deleted")


class CreditRepair(models.Model):
    line = models.ForeignKey(
        "inspections.VisitItem", verbose_name=_("result"), on_delete=models.PROTECT, related_name="repairs"
    )
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices)
    applicant = models.CharField(_("applicant"), max_length=100)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    statement = models.TextField(_("what the firm corrected, and its commitment"))
    applied_on = models.DateField(_("applied on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    answer = models.TextField(_("answer to the firm"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("credit repair application")
        verbose_name_plural = _("credit repair applications")
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=Q(decision="pending"), name="one_pending_repair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.get_decision_display()}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("a credit repair application is never deleted")


class DisplayEndReason(models.TextChoices):
    PERIOD = "period", _("Its display period ended")
    REPAIR = "repair", _("Credit repair granted")


class DisplayEnd(models.Model):
    line = models.OneToOneField(
        "inspections.VisitItem",
        verbose_name=_("result"),
        on_delete=models.PROTECT,
        related_name="display_end",
    )
    reason = models.CharField(_("why"), max_length=10, choices=DisplayEndReason.choices)
    repair = models.OneToOneField(
        CreditRepair, on_delete=models.PROTECT, null=True, blank=True, related_name="display_end"
    )
    ended_at = models.DateTimeField(_("public display ended"), auto_now_add=True)

    class Meta:
        ordering = ["-ended_at"]
        verbose_name = _("end of public display")
        verbose_name_plural = _("ends of public display")

    def __str__(self) -> str:
        return f"{self.line} {self.get_reason_display()}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("the end of a public display is never deleted")
