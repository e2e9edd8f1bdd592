"""Annual plans (抽查计划): department and joint plans, their items, batches, versions and reviews.

A plan is drafted by its lead department, submitted, reviewed by the joint-meeting office (returned with
an opinion, or approved) and published. Approval writes a ``PlanVersion``: the full content of the plan
as approved, which is what the district's annual plan shows. An adjustment during the year reopens the
plan as the next version (a draft with its reason) that goes through review again; the earlier versions
stay readable and stay in force until the new one is approved. Review opinions are never overwritten.

The live rows (``Plan``, ``PlanItem``, ``Batch``) hold the version being worked on. A batch's tasks are
linked here (``BatchTask``): plans sit above draws, so the link lives on the plans side.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fairspot.directory.models import TargetScope


class PlanKind(models.TextChoices):
    DEPARTMENT = "department", _("Department plan (部门抽查计划)")
    JOINT = "joint", _("Joint plan (部门联合抽查计划)")


class ScopeKind(models.TextChoices):
    UNDIRECTED = "undirected", _("Undirected (不定向)")
    DIRECTED = "directed", _("Directed (定向)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Plan(TargetScope):
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("plan number"), max_length=40, unique=True)
    title = models.CharField(_("plan name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind.choices, default=PlanKind.DEPARTMENT)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    participating_departments = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("participating departments"),
        blank=True,
        related_name="joint_plans",
    )
    scope_kind = models.CharField(
        _("target type"), max_length=12, choices=ScopeKind.choices, default=ScopeKind.UNDIRECTED
    )
    target_scope = models.TextField(_("target scope"), blank=True, help_text=_("Which targets, in words"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    adjustment_reason = models.CharField(
        _("reason for the adjustment"),
        max_length=500,
        blank=True,
        help_text=_("Why the version being worked on differs from the approved one"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_version = models.PositiveIntegerField(_("published version"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "department__sort_order", "code"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="plan_version_positive")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_adjusting(self) -> bool:
        """A version after the first that has not been approved yet."""
        return self.version > 1 and self.status in {PlanStatus.DRAFT, PlanStatus.SUBMITTED}


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(
        "items.CheckItem", verbose_name=_("check item"), on_delete=models.PROTECT, related_name="plan_items"
    )
    ratio = models.DecimalField(_("sampling ratio"), max_digits=6, decimal_places=4)
    class_ratios = models.CharField(
        _("ratio per credit-risk class"),
        max_length=80,
        blank=True,
        help_text=_("e.g. A:1%, B:2%, C:10%, D:30%; the batch's task draws by class (see the task)"),
    )

    class Meta:
        ordering = ["plan", "item__department__sort_order", "item__code"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="planitem_once_per_plan"),
            models.CheckConstraint(condition=Q(ratio__gt=0) & Q(ratio__lte=1), name="planitem_ratio_range"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.item.code}"


class Batch(models.Model):
    """A batch (批次) of a plan: a period in which one draw is made; its task points back here."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveSmallIntegerField(_("batch number"))
    name = models.CharField(_("batch name"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    tasks = models.ManyToManyField("draws.Task", through="BatchTask", related_name="+", blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("plan batch")
        verbose_name_plural = _("plan batches")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="batch_number_per_plan"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="batch_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} · {self.name}"


class BatchTask(models.Model):
    """The task (one draw) made for a batch; a task belongs to at most one batch."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("plan batch"), on_delete=models.PROTECT, related_name="links"
    )
    task = models.OneToOneField(
        "draws.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="batch_link"
    )

    class Meta:
        ordering = ["batch", "task__code"]
        verbose_name = _("task of a batch")
        verbose_name_plural = _("tasks of batches")

    def __str__(self) -> str:
        return f"{self.batch} → {self.task_id}"


class PlanVersion(models.Model):
    """The full content of one approved version of a plan. Written once, never changed."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    reason = models.CharField(_("reason for the adjustment"), max_length=500, blank=True)
    content = models.JSONField(_("content"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"))

    class Meta:
        ordering = ["plan", "-version"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="planversion_unique")]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("an approved plan version is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("an approved plan version is never deleted")


class ReviewDecision(models.TextChoices):
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")


class PlanReview(models.Model):
    """One review opinion of the joint-meeting office. Every opinion is kept; none is overwritten."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="reviews")
    version = models.PositiveIntegerField(_("version reviewed"))
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision.choices)
    opinion = models.TextField(_("review opinion"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"))

    class Meta:
        ordering = ["plan", "reviewed_at", "pk"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.version} {self.decision}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("a review opinion is never overwritten")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("a review opinion is never deleted")
