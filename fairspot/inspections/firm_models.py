"""The side of an inspection that faces the firm (国办发〔2024〕54号, 严格规范涉企行政检查).

* ``CheckApproval`` (检查审批): a department's approver allows checks to start, with the legal basis —
  for every visit of a draw at once (a batch approval), or for one case-driven check (``cases``).
  A visit's field work cannot start until every draw it comes from is approved.
* ``Visit.check_code`` (亮码入企): the unguessable code the firm scans; it opens the public check page.
* ``VisitFeedback``: the firm confirms the visit took place, rates it (1–5) and comments, once.
* ``WithdrawalRequest`` (回避申请): the firm asks for an officer's withdrawal with a reason; the
  department decides within a deadline; when granted, the draw's replacement rule picks who comes in.

Defined here and imported by ``models`` (which is long enough already); rows are never deleted.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CHECK_CODE_BYTES = 18  # 144 bits, 24 URL-safe characters


def new_check_code() -> str:
    return secrets.token_urlsafe(CHECK_CODE_BYTES)


class ApprovalKind(models.TextChoices):
    DRAW = "draw", _("Batch: every visit of a draw")
    CASE = "case", _("A case-driven check")


class CheckApproval(models.Model):
    """检查审批: the department's approver allows the checks to start, naming their legal basis."""

    kind = models.CharField(_("kind"), max_length=10, choices=ApprovalKind.choices)
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    draw = models.OneToOneField(
        "draws.Draw",
        verbose_name=_("draw"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="check_approval",
    )
    subject = models.CharField(_("what is approved"), max_length=200)
    target = models.ForeignKey(
        "directory.Target",
        verbose_name=_("target"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The firm a case-driven check is about (counted against its annual cap)"),
    )
    legal_basis = models.TextField(_("legal basis"))
    over_cap_reason = models.CharField(
        _("why the check goes past the annual cap"),
        max_length=500,
        blank=True,
        help_text=_("Required for a case-driven check of a firm at the district's annual cap"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        ordering = ["-approved_at", "-pk"]
        verbose_name = _("check approval")
        verbose_name_plural = _("check approvals")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="case") | Q(draw__isnull=False), name="check_approval_draw_has_draw"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("a check approval is never deleted")


class VisitFeedback(models.Model):
    """What the firm said about the visit through its check code: took place or not, a rating, a comment."""

    visit = models.OneToOneField(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.PROTECT, related_name="feedback"
    )
    took_place = models.BooleanField(_("the visit took place"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("firm's feedback")
        verbose_name_plural = _("firms' feedback")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_5")
        ]

    def __str__(self) -> str:
        return f"{self.visit} {self.rating}"


class WithdrawalDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for the department's decision")
    GRANTED = "granted", _("Granted: the officer was replaced")
    REFUSED = "refused", _("Refused")


class WithdrawalRequest(models.Model):
    """回避申请: the firm asks that an officer of the team withdraw, with its reason."""

    visit = models.ForeignKey(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.PROTECT, related_name="withdrawals"
    )
    inspector = models.ForeignKey(
        "inspectors.Inspector", verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    due = models.DateField(_("decide by"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=WithdrawalDecision.choices, default=WithdrawalDecision.PENDING
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
    answer = models.CharField(_("answer to the firm"), max_length=500, blank=True)
    replaced_by = models.ForeignKey(
        "inspectors.Inspector",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("withdrawal request")
        verbose_name_plural = _("withdrawal requests")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "inspector"],
                condition=Q(decision="pending"),
                name="one_pending_withdrawal_per_officer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.inspector}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("a withdrawal request is never deleted")
