"""The inspector directory (执法检查人员名录库), the expert pool (专家库) and the conflict register."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left the post")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", "；").split("；") if part.strip()]


class Inspector(models.Model):
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="inspectors",
    )
    staff_no = models.CharField(_("staff number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, db_index=True)
    certificate_no = models.CharField(_("enforcement certificate number"), max_length=40, blank=True)
    certificate_expiry = models.DateField(_("certificate valid until"), null=True, blank=True)
    qualifications = models.CharField(
        _("qualification types"), max_length=255, blank=True, help_text=_("Separated by ；")
    )
    expertise = models.CharField(_("expertise"), max_length=255, blank=True, help_text=_("Separated by ；"))
    items = models.ManyToManyField(
        "items.CheckItem",
        verbose_name=_("check items they may perform"),
        blank=True,
        related_name="inspectors",
    )
    posted_township = models.ForeignKey(
        "reference.Division",
        verbose_name=_("township of posting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    residence_township = models.ForeignKey(
        "reference.Division",
        verbose_name=_("township of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspector",
    )

    class Meta:
        ordering = ["department__sort_order", "staff_no"]
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"

    def certificate_valid_on(self, day: date) -> bool:
        return (
            bool(self.certificate_no)
            and self.certificate_expiry is not None
            and self.certificate_expiry >= day
        )

    @property
    def qualification_list(self) -> list[str]:
        return split_list(self.qualifications)

    @property
    def expertise_list(self) -> list[str]:
        return split_list(self.expertise)


class OrganisationType(models.TextChoices):
    TESTING = "testing", _("Testing agency")
    RESEARCH = "research", _("Research institute")
    UNIVERSITY = "university", _("University")
    ASSOCIATION = "association", _("Industry association")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class Expert(models.Model):
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("managed by"), on_delete=models.PROTECT, related_name="experts"
    )
    name = models.CharField(_("name"), max_length=50, db_index=True)
    organisation = models.CharField(_("organisation"), max_length=150)
    organisation_type = models.CharField(
        _("organisation type"),
        max_length=20,
        choices=OrganisationType.choices,
        default=OrganisationType.OTHER,
    )
    expertise = models.CharField(_("expertise"), max_length=255, blank=True, help_text=_("Separated by ；"))
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )

    class Meta:
        ordering = ["department__sort_order", "name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）"

    @property
    def expertise_list(self) -> list[str]:
        return split_list(self.expertise)


class ConflictKind(models.TextChoices):
    RELATIVE = "relative", _("Relative")
    FORMER_EMPLOYER = "former_employer", _("Former employer")
    SHAREHOLDING = "shareholding", _("Shareholding")
    OTHER = "other", _("Other")


class Conflict(models.Model):
    """A declared link between a person and a target: the person must withdraw (回避) while it is valid."""

    inspector = models.ForeignKey(
        Inspector,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conflicts",
    )
    expert = models.ForeignKey(
        Expert,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conflicts",
    )
    target = models.ForeignKey(
        "directory.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="conflicts"
    )
    kind = models.CharField(_("kind of link"), max_length=20, choices=ConflictKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=(Q(inspector__isnull=False) & Q(expert__isnull=True))
                | (Q(inspector__isnull=True) & Q(expert__isnull=False)),
                name="conflict_one_person",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="conflict_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ↔ {self.target.name}"

    @property
    def person(self):
        return self.inspector or self.expert

    def active_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)
