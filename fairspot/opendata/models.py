"""The open-data read model: one denormalised row per published item result.

``PublishedResult`` is what the public page, the API, the bulk downloads and the Atom feed read. It
holds only what may be published — never drafts, findings, review opinions, credit-risk classes or
inspectors — and personal data in it is already masked (see ``privacy``). It is written only by
``refresh.refresh_published_results`` / ``refresh.sync_from_audit``; ``updated_at`` moves only when
the published content of a row changes, so ``changed_since`` is an exact incremental feed.

Search indexes (migration 0002): on PostgreSQL a ``pg_trgm`` GIN index on ``UPPER(target_name)``
(what ``icontains`` compares); on SQLite an FTS5 table ``opendata_publishedresult_fts`` with the
trigram tokenizer, kept in step by triggers. Identifier and name prefixes use the b-tree indexes
below (``varchar_pattern_ops`` on PostgreSQL, so ``LIKE 'x%'`` can use them; SQLite ignores opclasses).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedResult(models.Model):
    source_id = models.PositiveBigIntegerField(_("result number"), unique=True)
    target_identifier = models.CharField(_("identifier (USCC)"), max_length=40)
    target_name = models.CharField(_("name"), max_length=200)
    entity_type = models.CharField(_("entity type"), max_length=20)
    legal_representative = models.CharField(_("legal representative (masked)"), max_length=100, blank=True)
    item_code = models.CharField(_("check item number"), max_length=40)
    item_name = models.CharField(_("check item"), max_length=200)
    department = models.CharField(_("department"), max_length=100)
    authority = models.CharField(_("inspecting authority"), max_length=255)
    plan_code = models.CharField(_("plan number"), max_length=40, blank=True)
    plan_title = models.CharField(_("plan name"), max_length=200, blank=True)
    task_code = models.CharField(_("task number"), max_length=40, blank=True)
    task_title = models.CharField(_("task name"), max_length=200, blank=True)
    inspection_type = models.CharField(_("inspection type"), max_length=20, blank=True)
    inspection_date = models.DateField(_("inspection date"))
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    result_code = models.CharField(_("result code"), max_length=8, blank=True)
    result_label = models.CharField(_("result"), max_length=100)
    remarks = models.TextField(_("remarks"), blank=True)
    corrected = models.BooleanField(_("corrected after publication"), default=False)
    published_at = models.DateTimeField(_("published"))
    updated_at = models.DateTimeField(_("changed"))
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        indexes = [
            models.Index(
                fields=["target_identifier"], name="pubres_identifier", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["target_name"], name="pubres_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["updated_at", "id"], name="pubres_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.target_name} · {self.item_code} · {self.result_label}"


class SyncState(models.Model):
    """Where the read model stands: the last audit entry it has taken in, and the last full rebuild."""

    audit_cursor = models.PositiveBigIntegerField(_("last audit entry taken in"), default=0)
    full_at = models.DateTimeField(_("last full rebuild"), null=True, blank=True)
    synced_at = models.DateTimeField(_("last synchronised"), null=True, blank=True)

    class Meta:
        verbose_name = _("open-data synchronisation state")
        verbose_name_plural = _("open-data synchronisation state")

    def __str__(self) -> str:
        return f"audit>{self.audit_cursor}"
