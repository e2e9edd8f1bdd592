"""Reference tables loaded by migrations from fairspot/reference/data (see SOURCES.md there)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.Model):
    """GB/T 4754-2017: sections (门类, a letter) and divisions (大类, two digits)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Division(models.Model):
    """Administrative divisions of 新乡市 (county, township/street, village/community levels)."""

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    code12 = models.CharField(_("12-digit code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.CharField(_("level"), max_length=10)
    type = models.CharField(_("type"), max_length=20)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, db_constraint=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("开发区")


class CheckMethod(models.Model):
    code = models.CharField(_("code"), max_length=4, primary_key=True)
    label = models.CharField(_("label"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("inspection method")
        verbose_name_plural = _("inspection methods")

    def __str__(self) -> str:
        return self.label


class ResultCode(models.Model):
    scheme = models.CharField(_("scheme"), max_length=40)
    code = models.CharField(_("code"), max_length=8)
    label = models.CharField(_("label"), max_length=100)
    group = models.CharField(_("group"), max_length=100)
    meaning = models.TextField(_("meaning"), blank=True)
    parent_code = models.CharField(_("parent code"), max_length=8, blank=True)
    alt_labels = models.CharField(_("alternative labels"), max_length=255, blank=True)

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="resultcode_scheme_code")]
        verbose_name = _("result code")
        verbose_name_plural = _("result codes")

    def __str__(self) -> str:
        return self.label


class FollowupAction(models.Model):
    seq = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.label
