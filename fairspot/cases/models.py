"""Individual cases (个案): leads from complaints, reports, referrals and data monitoring, handled at once.

A ``Lead`` is received by a department, assigned to its inspectors, handled (append-only ``LeadNote``
entries) and closed with a result. Widespread problems become special inspections (专项检查): a
``draws.Task`` of kind ``special`` linked to the leads it was created from (``Lead.special_tasks``).
Unlicensed business (无证无照经营) is a lead with ``unlicensed`` set; when the operator is not in the
directory the lead names a free-text party (personal data, shown masked outside the handling
department and the office).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint (投诉)")
    REPORT = "report", _("Report (举报)")
    REFERRAL = "referral", _("Referral (转办交办)")
    MONITORING = "monitoring", _("Data monitoring (数据监测)")


class LeadStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    HANDLING = "handling", _("Being handled")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (LeadStatus.RECEIVED, LeadStatus.ASSIGNED, LeadStatus.HANDLING)


class Outcome(models.TextChoices):
    UNFOUNDED = "unfounded", _("Unfounded")
    CORRECTED = "corrected", _("Corrected")
    PENALISED = "penalised", _("Penalised")
    TRANSFERRED = "transferred", _("Transferred to another authority")
    OTHER = "other", _("Other")


class Lead(models.Model):
    """A case lead (案件线索) and its handling, from intake to result."""

    number = models.CharField(_("lead number"), max_length=40, unique=True)
    kind = models.CharField(_("source"), max_length=12, choices=SourceKind.choices)
    received_on = models.DateField(_("received on"))
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="leads"
    )
    description = models.TextField(_("description"))
    unlicensed = models.BooleanField(_("unlicensed business (无证无照经营)"), default=False)
    target = models.ForeignKey(
        "directory.Target",
        verbose_name=_("target"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    party_name = models.CharField(_("party name"), max_length=200, blank=True)
    party_address = models.CharField(_("party address"), max_length=255, blank=True)
    party_contact = models.CharField(_("party contact"), max_length=60, blank=True)
    complainant_name = models.CharField(_("complainant name"), max_length=100, blank=True)
    complainant_phone = models.CharField(_("complainant phone"), max_length=30, blank=True)
    item = models.ForeignKey(
        "items.CheckItem",
        verbose_name=_("check item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    category = models.CharField(_("category"), max_length=100, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LeadStatus.choices, default=LeadStatus.RECEIVED, db_index=True
    )
    assignees = models.ManyToManyField(
        "inspectors.Inspector", verbose_name=_("assigned inspectors"), blank=True, related_name="leads"
    )
    result = models.TextField(_("result"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    special_tasks = models.ManyToManyField(
        "draws.Task", verbose_name=_("special inspections"), blank=True, related_name="leads"
    )
    check_approval = models.OneToOneField(
        "inspections.CheckApproval",
        verbose_name=_("check approval (检查审批)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-number"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False) | ~Q(party_name=""), name="lead_has_subject"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(result="") & ~Q(outcome="") & Q(closed_at__isnull=False)),
                name="lead_closed_has_result",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != LeadStatus.CLOSED

    @property
    def subject(self) -> str:
        return self.target.name if self.target_id else self.party_name


class NoteKind(models.TextChoices):
    NOTE = "note", _("Handling note")
    TRANSFER = "transfer", _("Transfer")
    REOPEN = "reopen", _("Reopened")


class LeadNote(models.Model):
    """One handling entry. Entries are appended, never changed or deleted."""

    lead = models.ForeignKey(Lead, verbose_name=_("lead"), on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(_("kind"), max_length=10, choices=NoteKind.choices, default=NoteKind.NOTE)
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["lead", "created_at", "id"]
        verbose_name = _("handling note")
        verbose_name_plural = _("handling notes")

    def __str__(self) -> str:
        return f"{self.lead_id} #{self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("a handling note is never changed; add a new one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("a handling note is never deleted")
