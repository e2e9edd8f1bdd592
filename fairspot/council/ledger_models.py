"""The task ledger (工作任务台账): each decision becomes items with a responsible unit, a named person,
a due date and a timetable planned backwards from it (倒排时间表), progress notes and evidence files.
Reminders before and after the due dates are written by the daily task (``council.tasks``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class LedgerStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Reported done")
    CLOSED = "closed", _("Closed by the office")


OPEN_STATUSES = (LedgerStatus.NOT_STARTED, LedgerStatus.IN_PROGRESS)


class LedgerItem(models.Model):
    """One task of the ledger: what a unit must do for a decision, who answers for it, by when."""

    decision = models.ForeignKey(
        "council.Decision", verbose_name=_("decision"), on_delete=models.PROTECT, related_name="items"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    task = models.TextField(_("task"))
    owner = models.CharField(_("person responsible"), max_length=50)
    owner_phone = models.CharField(_("telephone"), max_length=30, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=LedgerStatus.choices, default=LedgerStatus.NOT_STARTED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="council_ledger_due")]
        verbose_name = _("ledger item")
        verbose_name_plural = _("ledger items")

    def __str__(self) -> str:
        return self.task[:60]

    def is_overdue(self, today) -> bool:
        return self.status in OPEN_STATUSES and self.due_date < today


class MilestoneStage(models.TextChoices):
    PLAN = "plan", _("Work plan settled (制定方案)")
    MIDWAY = "midway", _("Half-way check (中期推进)")
    SELF_CHECK = "self_check", _("Self-check and summary (自查总结)")
    REPORT = "report", _("Completion reported (报送办结)")


class Milestone(models.Model):
    """A step of an item's timetable, computed back from its due date in working days."""

    item = models.ForeignKey(
        LedgerItem, verbose_name=_("ledger item"), on_delete=models.CASCADE, related_name="milestones"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=MilestoneStage.choices)
    due_date = models.DateField(_("by"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["item", "due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.due_date:%Y-%m-%d}"


class NoteKind(models.TextChoices):
    PROGRESS = "progress", _("Progress (进展)")
    SUPERVISION = "supervision", _("Supervision by the office (督办)")


class LedgerNote(models.Model):
    """A progress note by the unit or a supervision note by the office; appended, never changed."""

    item = models.ForeignKey(
        LedgerItem, verbose_name=_("ledger item"), on_delete=models.PROTECT, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NoteKind.choices)
    text = models.TextField(_("note"))
    author = models.ForeignKey(USER, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("ledger note")
        verbose_name_plural = _("ledger notes")

    def __str__(self) -> str:
        return self.text[:60]


class Evidence(models.Model):
    """An evidence file of a ledger item, stored by SHA-256 under MEDIA_ROOT/council/."""

    item = models.ForeignKey(
        LedgerItem, verbose_name=_("ledger item"), on_delete=models.PROTECT, related_name="evidence"
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    path = models.CharField(_("stored as"), max_length=255)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["item", "uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class ReminderKind(models.TextChoices):
    REPORT_DUE = "report_due", _("Progress report due")
    ITEM_DUE = "item_due", _("Ledger item due soon")
    ITEM_OVERDUE = "item_overdue", _("Ledger item overdue")


class Reminder(models.Model):
    """An in-app reminder of the joint meeting, one per person, subject and day (and its e-mail)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="council_reminders")
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    meeting = models.ForeignKey(
        "council.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        LedgerItem, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    due = models.DateField(_("due date"))
    day = models.DateField(_("day"))
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-day", "due", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due:%Y-%m-%d}"
