"""The target directory (检查对象名录库): market entities and non-entity targets, and special libraries."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityType(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual business")
    COOPERATIVE = "cooperative", _("Farmer cooperative")
    OTHER_ORG = "other_org", _("Other body")
    PRODUCT = "product", _("Product")
    PROJECT = "project", _("Project")
    BEHAVIOUR = "behaviour", _("Behaviour")


MARKET_ENTITY_TYPES = frozenset(
    {EntityType.ENTERPRISE, EntityType.INDIVIDUAL, EntityType.COOPERATIVE, EntityType.OTHER_ORG}
)


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("Active (存续/在业)")
    CANCELLED = "cancelled", _("Deregistered (注销)")
    REVOKED = "revoked", _("Licence revoked (吊销)")
    WITHDRAWN = "withdrawn", _("Registration withdrawn (撤销)")
    MOVED_OUT = "moved_out", _("Moved out (迁出)")


DRAWABLE_STATUSES = frozenset({RegistrationStatus.ACTIVE})


class RiskClass(models.TextChoices):
    A = "A", _("A — low risk")
    B = "B", _("B — general risk")
    C = "C", _("C — higher risk")
    D = "D", _("D — high risk")


class Target(models.Model):
    """One entry of the directory, keyed by its 统一社会信用代码 or, for non-entities, its own identifier."""

    identifier = models.CharField(_("identifier (USCC)"), max_length=40, unique=True)
    # Indexes (docs/imports.md, "Indexes of the directory"): each one slows every import, so only those a
    # page or a job uses are kept. The name is searched by a trigram index on PostgreSQL (migration 0003).
    name = models.CharField(_("name"), max_length=200)
    entity_type = models.CharField(_("entity type"), max_length=20, choices=EntityType.choices)
    registry_type = models.CharField(
        _("type in the register"),
        max_length=100,
        blank=True,
        db_default="",  # rows written by raw SQL (bulk loads, other tools) need not name it
        help_text=_("主体类型/企业类型 as the register writes it, e.g. 有限责任公司（自然人投资或控股）"),
    )
    industry_code = models.CharField(_("industry code"), max_length=4, blank=True)
    industry_section = models.CharField(_("industry section"), max_length=1, blank=True)
    township = models.ForeignKey(
        "reference.Division",
        verbose_name=_("township / street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # served by target_region_industry, which starts with it
    )
    community = models.ForeignKey(
        "reference.Division",
        verbose_name=_("community / village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # target_community below: one index, without PostgreSQL's pattern twin
    )
    registration_authority = models.CharField(_("registration authority"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    status = models.CharField(
        _("registration status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.ACTIVE,
    )
    established_on = models.DateField(_("date established"), null=True, blank=True)
    risk_class = models.CharField(_("credit-risk class"), max_length=1, choices=RiskClass.choices, blank=True)
    abnormal = models.BooleanField(_("in the abnormal-operation list"), default=False)
    tags = models.CharField(_("tags"), max_length=255, blank=True, help_text=_("Separated by ；"))
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("maintained by"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    libraries = models.ManyToManyField(
        "SpecialLibrary", verbose_name=_("special libraries"), blank=True, related_name="targets"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        indexes = [
            models.Index(fields=["township", "industry_section"], name="target_region_industry"),
            models.Index(fields=["community"], name="target_community"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.identifier}）"

    def clean(self) -> None:
        from fairspot.lib.uscc import uscc_error
        from fairspot.reference.selectors import industry_section

        errors = {}
        if self.entity_type in MARKET_ENTITY_TYPES:
            problem = uscc_error(self.identifier)
            if problem:
                errors["identifier"] = problem
        if self.industry_code and not industry_section(self.industry_code):
            errors["industry_code"] = _("Unknown GB/T 4754-2017 industry code.")
        if self.community_id and self.township_id and self.community.parent_id != self.township_id:
            errors["community"] = _("The community does not belong to the township.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_market_entity(self) -> bool:
        return self.entity_type in MARKET_ENTITY_TYPES

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("；") if t]


class TargetScope(models.Model):
    """Which part of the directory a plan or a task covers (shared by plans.Plan and draws.Task)."""

    entity_types = models.CharField(_("entity types"), max_length=200, blank=True, help_text=_("Empty = all"))
    industry_sections = models.CharField(
        _("industry sections"), max_length=60, blank=True, help_text=_("e.g. C；F")
    )
    township = models.ForeignKey(
        "reference.Division",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    library = models.ForeignKey(
        "directory.SpecialLibrary",
        verbose_name=_("special library"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class SpecialLibrary(models.Model):
    """A department's special library (专项库), e.g. special-equipment users or food producers."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="libraries",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("special library")
        verbose_name_plural = _("special libraries")

    def __str__(self) -> str:
        return self.name
