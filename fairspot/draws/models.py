"""The Django side of draws: tasks, committed draws, source values, drawn targets and teams.

The draw engine (``fairspot.draw``) computes; this app freezes populations, stores what the engine
returns and keeps the bundle files under ``var/media/draws/<draw_id>/``. A committed draw is never
edited or deleted: a new draw for the same task names the one it abandons and says why.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairspot.directory.models import TargetScope


class Design(models.TextChoices):
    SRS = "srs", _("Stratified simple random sampling")
    PPS = "pps", _("Risk-weighted (πps, exact systematic)")


class TaskKind(models.TextChoices):
    ROUTINE = "routine", _("Routine random inspection")
    SPECIAL = "special", _("Special inspection (专项检查)")


class Task(TargetScope):
    """An inspection task (抽查任务): one batch of one department's plan, drawn once."""

    kind = models.CharField(_("kind"), max_length=10, choices=TaskKind.choices, default=TaskKind.ROUTINE)
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="tasks"
    )
    code = models.CharField(_("task number"), max_length=40, unique=True)
    title = models.CharField(_("task name"), max_length=200)
    items = models.ManyToManyField("items.CheckItem", verbose_name=_("check items"), related_name="tasks")
    participating_departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("participating departments"), blank=True, related_name="+"
    )
    inspection_date = models.DateField(_("inspection date"))
    ratio = models.DecimalField(_("sampling ratio"), max_digits=6, decimal_places=4)
    design = models.CharField(_("design"), max_length=3, choices=Design.choices, default=Design.SRS)
    stratify_by_industry = models.BooleanField(_("stratify by industry section"), default=True)
    stratify_by_township = models.BooleanField(_("stratify by township"), default=True)
    risk_weights = models.CharField(
        _("risk weights (πps)"),
        max_length=60,
        default="A:1,B:2,C:4,D:8",
        help_text=_("Weight per credit-risk class; unclassified targets weigh as B"),
    )
    min_inclusion = models.DecimalField(
        _("minimum chance of being drawn (πps)"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Risk-weighted design only: every eligible target is drawn with at least this probability, "
            "e.g. 0.01 for 1%. Greater than 0 and at most the sampling ratio. Leave empty for no floor."
        ),
    )
    class_ratios = models.CharField(
        _("ratio per credit-risk class"),
        max_length=80,
        blank=True,
        help_text=_(
            "e.g. A:1%, B:2%, C:10%, D:30% — a stratified draw by class; unclassified targets take the "
            "task's ratio. Leave empty for one ratio for all."
        ),
    )
    exclude_class_a = models.BooleanField(_("no routine checks of class A"), default=False)
    alternates = models.PositiveSmallIntegerField(_("alternates per stratum"), default=2)
    team_size = models.PositiveSmallIntegerField(_("officers per team"), default=2)
    same_township_rule = models.BooleanField(
        _("officers may not inspect in their own township"), default=False
    )
    recent_window_days = models.PositiveIntegerField(
        _("an officer does not revisit a target within (days)"), default=365
    )
    annual_cap = models.PositiveSmallIntegerField(
        _("inspections per target per year, all departments"), default=2
    )
    experts_per_team = models.PositiveSmallIntegerField(
        _("experts per team"),
        default=0,
        help_text=_("Experts from the expert pool join each team as advisers without enforcement powers."),
    )
    expert_fields = models.CharField(
        _("expertise every expert must have"),
        max_length=255,
        blank=True,
        help_text=_("Separated by ；, e.g. 特种设备；食品检验. Leave empty for any expert."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The commit of a large population runs on the task queue (fairspot.draws.commit_jobs): when it was
    # queued, and why it was refused if it was (nothing is committed then; it can be asked for again).
    commit_queued_at = models.DateTimeField(_("commit queued"), null=True, blank=True)
    commit_error = models.TextField(_("why the commit was refused"), blank=True)

    class Meta:
        ordering = ["-inspection_date", "code"]
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", _("Committed — waiting for randomness")
    REVEALED = "revealed", _("Revealed")
    ABANDONED = "abandoned", _("Abandoned")


class Draw(models.Model):
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="draws")
    number = models.PositiveSmallIntegerField(_("attempt"))
    draw_id = models.CharField(_("draw number"), max_length=60, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DrawStatus.choices, default=DrawStatus.COMMITTED
    )
    manifest_digest = models.CharField(_("manifest SHA-256"), max_length=64, unique=True)
    pool_digest = models.CharField(_("inspector pool SHA-256"), max_length=64)
    population_size = models.PositiveIntegerField(_("population"))
    excluded = models.PositiveIntegerField(_("excluded"))
    sources = models.JSONField(_("declared sources"))
    committed_at = models.DateTimeField(_("committed"))
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    replace_reason = models.CharField(_("why the earlier draw was abandoned"), max_length=500, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    result_digest = models.CharField(_("result SHA-256"), max_length=64, blank=True)
    revealed_at = models.DateTimeField(_("revealed"), null=True, blank=True)
    matching_digest = models.CharField(_("matching result SHA-256"), max_length=64, blank=True)
    matching_problem = models.TextField(_("why no full team assignment exists"), blank=True)
    # A reveal of a large draw runs on the task queue (fairspot.draws.reveal_jobs): when it was queued,
    # and why it failed if it did (the draw then stays committed and can be revealed again).
    reveal_queued_at = models.DateTimeField(_("reveal queued"), null=True, blank=True)
    reveal_error = models.TextField(_("why the reveal failed"), blank=True)

    class Meta:
        ordering = ["-committed_at"]
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="draw_task_number")]

    def __str__(self) -> str:
        return self.draw_id

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("draws:draw", args=[self.draw_id])

    def delete(self, *args, **kwargs):
        raise RuntimeError("a committed draw is never deleted")


class SourceValue(models.Model):
    """A value of a declared randomness source as an officer entered it (two entries where required)."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="source_values")
    name = models.CharField(_("source"), max_length=64)
    value = models.CharField(_("value"), max_length=4096)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        ordering = ["draw", "name", "entered_at"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "name", "entered_by"], name="source_one_entry_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.name}"


class DrawnTarget(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="drawn")
    target = models.ForeignKey("directory.Target", on_delete=models.PROTECT, related_name="draws")
    stratum = models.CharField(_("stratum"), max_length=200)
    rank = models.PositiveIntegerField(_("rank in stratum"))
    key = models.CharField(_("key"), max_length=64)
    inclusion_probability = models.CharField(_("inclusion probability"), max_length=80)
    alternate = models.BooleanField(_("alternate"), default=False)

    class Meta:
        ordering = ["draw", "alternate", "stratum", "rank"]
        constraints = [models.UniqueConstraint(fields=["draw", "target"], name="drawn_once_per_draw")]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.stratum} #{self.rank}"


class Rematch(models.Model):
    """Re-matching a revealed draw's teams against the pool as it is now (§8 of the protocol).

    A new matching bundle (``rematch-<n>/``) with its own, newly declared randomness: committed first,
    revealed when the sources' values are in. The earlier teams are kept, marked superseded; targets
    whose visit has already begun keep their team and are listed in ``kept``.
    """

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="rematches")
    number = models.PositiveSmallIntegerField(_("re-matching number"))
    reason = models.CharField(_("why the teams are matched again"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=DrawStatus.choices, default=DrawStatus.COMMITTED
    )
    sources = models.JSONField(_("declared sources"))
    manifest_digest = models.CharField(_("manifest SHA-256"), max_length=64)
    supersedes_digest = models.CharField(_("teams superseded (SHA-256)"), max_length=64)
    kept = models.JSONField(_("targets whose visit had begun (team kept)"), default=list, blank=True)
    committed_at = models.DateTimeField(_("committed"))
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    result_digest = models.CharField(_("result SHA-256"), max_length=64, blank=True)
    revealed_at = models.DateTimeField(_("revealed"), null=True, blank=True)

    class Meta:
        ordering = ["draw", "number"]
        verbose_name = _("re-matching")
        verbose_name_plural = _("re-matchings")
        constraints = [models.UniqueConstraint(fields=["draw", "number"], name="rematch_draw_number")]

    def __str__(self) -> str:
        return self.bundle_id

    @property
    def dirname(self) -> str:
        return f"rematch-{self.number}"

    @property
    def bundle_id(self) -> str:
        return f"{self.draw.draw_id}-rematch-{self.number}"

    def value_name(self, source: str) -> str:
        """How this re-matching's source values are stored beside the draw's own (unique per draw)."""
        return f"{self.dirname}.{source}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("a committed re-matching is never deleted")


class Team(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="teams")
    target = models.ForeignKey("directory.Target", on_delete=models.PROTECT, related_name="teams")
    leader = models.ForeignKey("inspectors.Inspector", on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField("inspectors.Inspector", related_name="teams")
    experts = models.ManyToManyField(
        "inspectors.Expert",
        verbose_name=_("experts (no enforcement powers)"),
        blank=True,
        related_name="teams",
    )
    rematch = models.ForeignKey(
        Rematch,
        verbose_name=_("matched by re-matching"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
    )
    current = models.BooleanField(_("current team"), default=True)

    class Meta:
        ordering = ["draw", "target__identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "target"], condition=models.Q(current=True), name="team_once_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.target_id}"


class ReplacementReason(models.TextChoices):
    ILLNESS = "illness", _("Illness (因病)")
    WITHDRAWAL = "withdrawal", _("Withdrawal requested (回避申请)")
    OTHER = "other", _("Other")


class TeamReplacement(models.Model):
    """One officer of a drawn team replaced by the protocol's rule (§7.7); the log is never edited."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="replacements")
    seq = models.PositiveIntegerField(_("number in the draw's replacement log"))
    slot = models.PositiveSmallIntegerField(_("slot"))
    officer_out = models.ForeignKey(
        "inspectors.Inspector", verbose_name=_("officer replaced"), on_delete=models.PROTECT, related_name="+"
    )
    officer_in = models.ForeignKey(
        "inspectors.Inspector", verbose_name=_("replacement"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ReplacementReason.choices)
    note = models.CharField(_("explanation"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("replaced"), auto_now_add=True)

    class Meta:
        ordering = ["team__draw", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["team", "seq"], name="replacement_seq_once_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.team} #{self.seq}"
