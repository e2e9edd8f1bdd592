"""The append-only audit log. Every state change writes an entry in the same transaction.

Entries form a hash chain (each entry's hash covers the previous one's), so a deleted or edited row
is detected by ``verify_chain``; the model also refuses updates and deletes through the ORM.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairspot.audit.labels import action_label


class AuditLogError(Exception):
    pass


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        # a record's history (every 变更记录 card) is looked up by type and id, newest first
        indexes = [models.Index(fields=["object_type", "object_id", "-id"], name="audit_about_record")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogError("audit entries are append-only")

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class PublishedAnchor(models.Model):
    """The chain head of one day, shown on the public portal so that people outside can keep it."""

    day = models.DateField(_("date"), unique=True)
    entry_id = models.PositiveBigIntegerField(_("entry number"))
    digest = models.CharField(_("digest"), max_length=64)
    entries = models.PositiveBigIntegerField(_("entry count"))
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("published chain head")
        verbose_name_plural = _("published chain heads")

    def __str__(self) -> str:
        return f"{self.day} {self.entry_id} {self.digest}"
