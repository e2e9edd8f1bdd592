"""Departments (member units of the joint meeting), users and their roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A member unit (成员单位) of the district's joint meeting."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    is_office = models.BooleanField(
        _("hosts the joint-meeting office"), default=False, help_text=_("联席会议办公室所在单位")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("System administrator")
    OFFICE = "office", _("Joint-meeting office")
    DEPT_ADMIN = "dept_admin", _("Department administrator")
    INSPECTOR = "inspector", _("Inspector")
    EXPERT = "expert", _("Expert")
    # 三员分立: the audit administrator reads and verifies the audit log of every department and
    # changes nothing anywhere (no department, so every other list is empty to them).
    AUDITOR = "auditor", _("Audit administrator")


class User(AbstractUser):
    """A person who logs in. Staff other than the office and system administrators belong to a department."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.INSPECTOR)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    must_change_password = models.BooleanField(
        _("must change the password at next login"),
        default=False,
        help_text=_("Set for accounts given a one-time password (setup_district)"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def sees_all_departments(self) -> bool:
        return self.is_superuser or self.role in {Role.SYSADMIN, Role.OFFICE}

    @property
    def reads_whole_audit_log(self) -> bool:
        """The office, system administrators and the audit administrator read every department's entries."""
        return self.sees_all_departments or self.role == Role.AUDITOR

    @property
    def can_manage(self) -> bool:
        """May create and change directory records (not only read them)."""
        return self.sees_all_departments or self.role == Role.DEPT_ADMIN
