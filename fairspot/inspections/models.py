"""Visits, their field records, results, review, publication, corrections and follow-up.

A ``Visit`` is one trip to one target on one inspection date: when several tasks (of one or several
departments) drew the same target for the same date, their items and teams are merged into one visit
("进一次门、查多项事"). Each of the visit's check items is a ``VisitItem``, which carries the item's field
record (method, checklist answers, findings, evidence, the officers' confirmation) and its result with
the review workflow: not entered → entered (awaiting review) → returned / approved → published.

A published result is never edited in place: a ``ResultCorrection`` row records the new values and
why, and stays visible next to the original.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fairspot.inspections.firm_models import new_check_code

RESULT_SCHEME = "2017双随机"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Field work finished")
    REPLACED = "replaced", _("Replaced by an alternate target")


class Visit(models.Model):
    target = models.ForeignKey(
        "directory.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="visits"
    )
    inspection_date = models.DateField(_("inspection date"))
    end_date = models.DateField(_("end of the inspection"), null=True, blank=True)
    deadline = models.DateField(_("publication deadline"), null=True, blank=True, db_index=True)
    deadline_provisional = models.BooleanField(
        _("provisional deadline"),
        default=False,
        help_text=_("Counted over a year whose holiday schedule has not been confirmed (暂定)"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("departments"), related_name="joint_visits"
    )
    items = models.ManyToManyField(
        "items.CheckItem", verbose_name=_("check items"), through="VisitItem", related_name="visits"
    )
    draws = models.ManyToManyField("draws.Draw", verbose_name=_("draws"), related_name="visits")
    leader = models.ForeignKey(
        "inspectors.Inspector", verbose_name=_("team leader"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        "inspectors.Inspector", verbose_name=_("team members"), related_name="visits"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces the visit to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    replace_reason = models.CharField(_("why the drawn target was replaced"), max_length=500, blank=True)
    check_code = models.CharField(
        _("check code"), max_length=40, unique=True, default=new_check_code, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-inspection_date", "target__name"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "inspection_date"],
                condition=~Q(status="replaced"),
                name="visit_one_per_target_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target.name} {self.inspection_date:%Y-%m-%d}"


class ResultStatus(models.TextChoices):
    NOT_ENTERED = "not_entered", _("Not entered")
    ENTERED = "entered", _("Entered — awaiting review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHHELD = "withheld", _("Withheld from publication, by law")


# a result needs nothing more for publication: published, or withheld with the office's approval
SETTLED = (ResultStatus.PUBLISHED, ResultStatus.WITHHELD)


class VisitItem(models.Model):
    """One check item of one visit: its field record and its result.

    ``version`` grows with every save; a save names the version it started from and is refused when
    somebody else saved in between (optimistic locking), so nobody overwrites a colleague's entry.
    """

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="lines")
    item = models.ForeignKey(
        "items.CheckItem", verbose_name=_("check item"), on_delete=models.PROTECT, related_name="+"
    )
    draw = models.ForeignKey(
        "draws.Draw", verbose_name=_("drawn in"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # field record
    method = models.ForeignKey(
        "reference.CheckMethod",
        verbose_name=_("method used"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answers = models.JSONField(_("checklist answers"), default=list, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    confirmed_by = models.ManyToManyField(
        "inspectors.Inspector", verbose_name=_("confirmed by the officers"), blank=True, related_name="+"
    )
    # result
    result_code = models.ForeignKey(
        "reference.ResultCode",
        verbose_name=_("result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    remarks = models.TextField(_("remarks"), blank=True)
    status = models.CharField(
        _("result status"), max_length=12, choices=ResultStatus.choices, default=ResultStatus.NOT_ENTERED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["visit", "item__code"]
        verbose_name = _("visit item")
        verbose_name_plural = _("visit items")
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="visititem_once")]

    def __str__(self) -> str:
        return f"{self.visit} · {self.item.code}"

    def _last_correction(self):
        corrections = sorted(self.corrections.all(), key=lambda c: (c.created_at, c.pk))
        return corrections[-1] if corrections else None

    @property
    def current_code(self):
        """The result as it stands: the latest correction's, or the original."""
        last = self._last_correction()
        return last.result_code if last else self.result_code

    @property
    def current_remarks(self) -> str:
        last = self._last_correction()
        return last.remarks if last else self.remarks


class Review(models.Model):
    """A reviewer's decision; kept, never overwritten."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    line = models.ForeignKey(VisitItem, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    opinion = models.TextField(_("opinion"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["line", "at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.line} {self.decision}"


class ResultCorrection(models.Model):
    """A correction of a published result: the new values and why. The original stays as published."""

    line = models.ForeignKey(VisitItem, on_delete=models.PROTECT, related_name="corrections")
    result_code = models.ForeignKey(
        "reference.ResultCode", verbose_name=_("corrected result"), on_delete=models.PROTECT, related_name="+"
    )
    remarks = models.TextField(_("remarks"), blank=True)
    reason = models.CharField(_("reason for the correction"), max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("corrected"), auto_now_add=True)

    class Meta:
        ordering = ["line", "created_at", "pk"]
        verbose_name = _("result correction")
        verbose_name_plural = _("result corrections")

    def __str__(self) -> str:
        return f"{self.line} ← {self.result_code}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    AUTHORITY = "authority", _("Conclusion of another authority")
    AGENCY = "agency", _("Report of an entrusted agency")


class Attachment(models.Model):
    """Evidence of a field record, stored under MEDIA_ROOT/attachments/<sha256[:2]>/<sha256>.<ext>."""

    line = models.ForeignKey(VisitItem, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    source = models.CharField(
        _("issued by"), max_length=200, blank=True, help_text=_("Authority or agency, for reports")
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    path = models.CharField(_("stored as"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["line", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Question(models.Model):
    """A question of an item's question bank (逢查必考)."""

    item = models.ForeignKey(
        "items.CheckItem", verbose_name=_("check item"), on_delete=models.PROTECT, related_name="questions"
    )
    code = models.CharField(_("question number"), max_length=40)
    text = models.TextField(_("question"))
    answer = models.TextField(_("reference answer"), blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["item", "code"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="question_item_code")]

    def __str__(self) -> str:
        return f"{self.item.code}/{self.code}"


class QuizScore(models.Model):
    """The score of one of the firm's staff in the quiz drawn for a visit item."""

    line = models.ForeignKey(VisitItem, on_delete=models.PROTECT, related_name="quiz_scores")
    person = models.CharField(_("person examined"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    questions = models.JSONField(_("questions asked"))
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["line", "recorded_at", "pk"]
        verbose_name = _("quiz score")
        verbose_name_plural = _("quiz scores")

    def __str__(self) -> str:
        return f"{self.person} {self.correct}/{len(self.questions)}"


class Disposition(models.TextChoices):
    NONE = "none", _("No action needed")
    CORRECT = "correct", _("Ordered to correct, with a deadline and a re-check")
    CASE = "case", _("Case clue transferred to the enforcement unit")
    COPY = "copy", _("Copied to another department")
    JUDICIAL = "judicial", _("Transferred to judicial organs")
    OTHER = "other", _("Other")


class FollowUp(models.Model):
    line = models.ForeignKey(VisitItem, on_delete=models.PROTECT, related_name="followups")
    disposition = models.CharField(_("disposition"), max_length=10, choices=Disposition.choices)
    note = models.TextField(_("note"), blank=True)
    correct_by = models.DateField(_("correct by"), null=True, blank=True)
    recheck_on = models.DateField(_("re-check on"), null=True, blank=True)
    copied_to = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("copied to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed = models.BooleanField(_("closed"), default=False)
    closed_on = models.DateField(_("closing date"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["line", "created_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=False) | Q(closed_on__isnull=False), name="followup_closed_has_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.disposition}"


class Reminder(models.Model):
    """An in-app reminder that a result is due soon or overdue (written by ``remind_deadlines``)."""

    class Kind(models.TextChoices):
        DUE = "due", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    line = models.ForeignKey(VisitItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    deadline = models.DateField(_("publication deadline"))
    day = models.DateField(_("day"))
    emailed = models.BooleanField(_("emailed"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "deadline"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "line", "kind", "day"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.line} {self.kind}"


class AlternateRequest(models.Model):
    """A request to inspect the next alternate instead of the drawn target (the target closed, moved…).

    The officer who finds the target gone asks; a *second* officer (an administrator of a department of
    the visit, or the office) approves or refuses. Only an approved request replaces the target, so no
    single person can swap a drawn firm for another. Requests are never edited or deleted.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a second officer")
        APPROVED = "approved", _("Approved: replaced by the alternate")
        REFUSED = "refused", _("Refused")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="alternate_requests")
    reason = models.CharField(_("why the drawn target cannot be inspected"), max_length=500)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.CharField(_("second officer's note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("request to inspect an alternate")
        verbose_name_plural = _("requests to inspect an alternate")
        constraints = [
            models.UniqueConstraint(
                fields=["visit"], condition=Q(decision="pending"), name="one_pending_alternate_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit} {self.get_decision_display()}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("a request to inspect an alternate is never deleted")


# the firm's side (approval, check code, feedback, withdrawal), in its own module
from fairspot.inspections.firm_models import (  # noqa: E402, F401
    ApprovalKind,
    CheckApproval,
    VisitFeedback,
    WithdrawalDecision,
    WithdrawalRequest,
)
from fairspot.inspections.publicity_models import (  # noqa: E402, F401
    Channel,
    CreditRepair,
    Decision,
    DisplayEnd,
    DisplayEndReason,
    DisplayRule,
    Objection,
    ObjectionDecision,
    Withholding,
)
