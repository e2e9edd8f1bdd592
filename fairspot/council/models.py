"""The joint meeting (联席会议) as the founding notice sets it up (新开〔2021〕6号).

Composition: the posts (召集人, 副召集人, 办公室主任) held by named people, each optionally acting
through a user account; the member units (成员单位) and attending units (列席单位) — departments — with
their responsible leader (分管负责人) and liaison officer (联络员). A change is proposed by the unit
(``MemberChange``) and takes effect only when the office records that a held meeting confirmed it; the
confirmed changes are the history.

Meetings: the half-yearly plenary (全体会议) and special meetings (专题会议, held only with the
convenor's consent); agenda topics (议题) before a deadline; attendance; each member unit's progress
report for the half-year; minutes (会议纪要) drafted by the office and signed off by the convenor, then
published; decisions (议定事项). The task ledger (工作任务台账) is in ``ledger`` models below.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEPARTMENT = "accounts.Department"
USER = settings.AUTH_USER_MODEL


class PostKind(models.TextChoices):
    CONVENOR = "convenor", _("Convenor (召集人)")
    DEPUTY = "deputy", _("Deputy convenor (副召集人)")
    OFFICE_HEAD = "office_head", _("Head of the office (办公室主任)")


class Post(models.Model):
    """A post of the joint meeting held by a named person of a unit; ``user`` is the account through
    which that person acts in the system (the convenor's consent and sign-off are given with it)."""

    kind = models.CharField(_("post"), max_length=12, choices=PostKind.choices)
    person = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("position"), max_length=100, blank=True)
    department = models.ForeignKey(
        DEPARTMENT, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        USER,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("current"), default=True)
    since = models.DateField(_("since"))

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("post of the joint meeting")
        verbose_name_plural = _("posts of the joint meeting")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person}"


class MemberKind(models.TextChoices):
    MEMBER = "member", _("Member unit (成员单位)")
    ATTENDING = "attending", _("Attending unit (列席单位)")


class Member(models.Model):
    """A department's place in the joint meeting."""

    department = models.OneToOneField(
        DEPARTMENT, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="council_member"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MemberKind.choices, default=MemberKind.MEMBER)
    leader = models.CharField(_("responsible leader"), max_length=50)
    leader_title = models.CharField(_("leader's position"), max_length=100, blank=True)
    liaison = models.CharField(_("liaison officer"), max_length=50, blank=True)
    liaison_phone = models.CharField(_("liaison's telephone"), max_length=30, blank=True)
    active = models.BooleanField(_("current"), default=True)
    since = models.DateField(_("since"))

    class Meta:
        ordering = ["department__sort_order", "department__code"]
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")

    def __str__(self) -> str:
        return str(self.department)


class ChangeKind(models.TextChoices):
    JOIN = "join", _("Join the joint meeting")
    LEAVE = "leave", _("Leave the joint meeting")
    LEADER = "leader", _("New responsible leader")
    LIAISON = "liaison", _("New liaison officer")
    POST = "post", _("New holder of a post")


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting a meeting")
    CONFIRMED = "confirmed", _("Confirmed by a meeting")
    REJECTED = "rejected", _("Not confirmed")


class MemberChange(models.Model):
    """A change of the composition proposed by a unit (所在单位提出) and decided at a meeting
    (联席会议确定)."""

    department = models.ForeignKey(
        DEPARTMENT, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="council_changes"
    )
    kind = models.CharField(_("change"), max_length=10, choices=ChangeKind.choices)
    post = models.CharField(_("post"), max_length=12, choices=PostKind.choices, blank=True)
    member_kind = models.CharField(_("as"), max_length=10, choices=MemberKind.choices, blank=True)
    old_person = models.CharField(_("from"), max_length=50, blank=True)
    new_person = models.CharField(_("to"), max_length=50, blank=True)
    new_title = models.CharField(_("position"), max_length=100, blank=True)
    new_phone = models.CharField(_("telephone"), max_length=30, blank=True)
    new_user = models.ForeignKey(
        USER,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        USER, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    meeting = models.ForeignKey(
        "council.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_changes",
    )
    decided_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("change of members")
        verbose_name_plural = _("changes of members")

    def __str__(self) -> str:
        return f"{self.department} · {self.get_kind_display()}"


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary meeting (全体会议)")
    SPECIAL = "special", _("Special meeting (专题会议)")


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the convenor's consent")
    AGREED = "agreed", _("Agreed by the convenor, to be scheduled")
    DECLINED = "declined", _("Not agreed by the convenor")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A meeting of the joint meeting. A special one starts as a request that only the convenor's consent
    turns into a scheduled meeting; a plenary is scheduled by the office for a half-year."""

    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(
        _("half-year"), choices=[(1, _("first half")), (2, _("second half"))]
    )
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices)
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic_deadline = models.DateField(_("topics due by"), null=True, blank=True)
    report_deadline = models.DateField(_("progress reports due by"), null=True, blank=True)
    reason = models.TextField(_("reason for the meeting"), blank=True)
    requested_by = models.ForeignKey(
        USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requesting_unit = models.ForeignKey(
        DEPARTMENT, verbose_name=_("requesting unit"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    consent_by = models.ForeignKey(
        USER,
        verbose_name=_("convenor's answer by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("convenor's answer"), null=True, blank=True)
    consent_note = models.TextField(_("convenor's note"), blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-half", "-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return f"{self.year}-H{self.half}"


class TopicStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("On the agenda")
    NOT_ACCEPTED = "not_accepted", _("Not on the agenda")


class Topic(models.Model):
    """An agenda topic (议题) a member unit submits before the meeting's deadline."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="topics"
    )
    department = models.ForeignKey(
        DEPARTMENT, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("explanation"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "submitted_at", "pk"]
        verbose_name = _("agenda topic")
        verbose_name_plural = _("agenda topics")

    def __str__(self) -> str:
        return self.title


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    DEPUTISED = "deputised", _("Represented by a deputy")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """Who came for a unit (出席情况), recorded by the office."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="attendance"
    )
    department = models.ForeignKey(
        DEPARTMENT, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.CharField(_("attended by"), max_length=50, blank=True)
    presence = models.CharField(_("attendance"), max_length=10, choices=Presence.choices)

    class Meta:
        ordering = ["meeting", "department__sort_order", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "department"], name="council_attendance_once")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.department}"


class ProgressReport(models.Model):
    """A member unit's report on its half-year's work (进展情况汇报) for a plenary."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="reports"
    )
    department = models.ForeignKey(
        DEPARTMENT, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    progress = models.TextField(_("work done"))
    problems = models.TextField(_("problems"), blank=True)
    plans = models.TextField(_("next steps"), blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        ordering = ["meeting", "department__sort_order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "department"], name="council_report_once")]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.department}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Signed off by the convenor")
    PUBLISHED = "published", _("Published to the members")


class Minutes(models.Model):
    """The minutes (会议纪要): drafted by the office, signed off by the convenor, published to members."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    number = models.CharField(_("document number"), max_length=60)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        USER, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return self.number


class Decision(models.Model):
    """An agreed matter (议定事项) of a meeting, part of its minutes."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("agreed matter"))
    lead = models.ForeignKey(
        DEPARTMENT,
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="council_decision_number")]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.number}"


from fairspot.council.ledger_models import (  # noqa: E402, F401 - the ledger's models are this app's too
    Evidence,
    LedgerItem,
    LedgerNote,
    LedgerStatus,
    Milestone,
    MilestoneStage,
    NoteKind,
    Reminder,
    ReminderKind,
)
