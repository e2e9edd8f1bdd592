"""Audit entries in words: what was done, which field changed, from what to what.

The code (``draws.task.created``) stays in the entry and in exports; people see the words. Every action
Fairspot writes has its words here (a test checks that the code base writes no action without them);
actions of the system administration (``admin.<model>.<verb>``) are worded from the model's name.
Field names and values come from the model the entry is about, found through Django's app registry
(the audit app imports no other app).
"""

from __future__ import annotations

from functools import lru_cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    "draws.draw.reveal_queued": gettext_lazy("Reveal queued (large draw, in the background)"),
    "draws.task.commit_queued": gettext_lazy("Commit queued (large population, in the background)"),
    "draws.task.commit_refused": gettext_lazy("Commit in the background refused"),
    "draws.draw.reveal_refused": gettext_lazy("Reveal in the background refused"),
    "auth.login": gettext_lazy("Logged in"),
    "auth.logout": gettext_lazy("Logged out"),
    "auth.login_failed": gettext_lazy("Failed login"),
    "auth.password_changed": gettext_lazy("Password changed"),
    "security.totp.enrolled": gettext_lazy("Two-step verification turned on"),
    "security.totp.verified": gettext_lazy("Two-step code accepted"),
    "security.totp.failed": gettext_lazy("Wrong two-step code"),
    "security.totp.removed": gettext_lazy("Two-step device removed"),
    "export.downloaded": gettext_lazy("File downloaded"),
    "audit.head.published": gettext_lazy("Audit chain head published"),
    "ops.backup.created": gettext_lazy("Backup made"),
    "ops.restore.done": gettext_lazy("Backup restored"),
    "demo.district.loaded": gettext_lazy("Demo district loaded"),
    "accounts.department.created": gettext_lazy("Department created"),
    "accounts.department.changed": gettext_lazy("Department changed"),
    "accounts.user.created": gettext_lazy("User account created"),
    "accounts.user.changed": gettext_lazy("User account changed"),
    "accounts.user.logged_in": gettext_lazy("Logged in"),
    "directory.target.created": gettext_lazy("Target added"),
    "directory.target.changed": gettext_lazy("Target changed"),
    "directory.target.deleted": gettext_lazy("Target deleted"),
    "directory.targets.imported": gettext_lazy("Targets imported"),
    "inspectors.inspector.created": gettext_lazy("Inspector added"),
    "inspectors.inspector.changed": gettext_lazy("Inspector changed"),
    "inspectors.expert.created": gettext_lazy("Expert added"),
    "inspectors.expert.changed": gettext_lazy("Expert changed"),
    "inspectors.conflict.declared": gettext_lazy("Conflict of interest declared"),
    "inspectors.conflict.changed": gettext_lazy("Conflict of interest changed"),
    "items.item.created": gettext_lazy("Check item added"),
    "items.item.changed": gettext_lazy("Check item changed"),
    "holidays.day.created": gettext_lazy("Calendar day added"),
    "holidays.day.changed": gettext_lazy("Calendar day changed"),
    "holidays.day.deleted": gettext_lazy("Calendar day removed"),
    "holidays.year.declared": gettext_lazy("Year's holiday schedule confirmed"),
    "holidays.year.withdrawn": gettext_lazy("Year's holiday schedule reopened"),
    "plans.plan.created": gettext_lazy("Plan drafted"),
    "plans.plan.changed": gettext_lazy("Plan changed"),
    "plans.plan.submitted": gettext_lazy("Plan submitted for review"),
    "plans.plan.returned": gettext_lazy("Plan returned with an opinion"),
    "plans.plan.approved": gettext_lazy("Plan approved"),
    "plans.plan.published": gettext_lazy("Plan published"),
    "plans.plan.adjusted": gettext_lazy("Plan adjustment opened"),
    "plans.batch.tasks_created": gettext_lazy("Tasks created for a plan batch"),
    "draws.task.created": gettext_lazy("Inspection task created"),
    "draws.draw.committed": gettext_lazy("Draw committed (manifest published)"),
    "draws.draw.abandoned": gettext_lazy("Draw abandoned"),
    "draws.draw.revealed": gettext_lazy("Draw revealed"),
    "draws.source.entered": gettext_lazy("Randomness value entered"),
    "draws.source.mismatch": gettext_lazy("Randomness values did not agree"),
    "draws.teams.matched": gettext_lazy("Teams matched"),
    "draws.teams.infeasible": gettext_lazy("No full team assignment exists"),
    "draws.team.officer_replaced": gettext_lazy("Team officer replaced"),
    "draws.teams.rematch_committed": gettext_lazy("Re-matching of the teams committed"),
    "draws.teams.rematched": gettext_lazy("Teams matched again"),
    "inspections.visit.created": gettext_lazy("Visit planned"),
    "inspections.check.approved": gettext_lazy("Check approved (检查审批)"),
    "inspections.feedback.given": gettext_lazy("The firm confirmed and rated the visit"),
    "inspections.withdrawal.requested": gettext_lazy("The firm asked for an officer's withdrawal (回避申请)"),
    "inspections.withdrawal.decided": gettext_lazy("Withdrawal request decided"),
    "inspections.withholding.requested": gettext_lazy("Asked that the result not be published (不予公示)"),
    "inspections.withholding.decided": gettext_lazy("The office decided whether the result is published"),
    "inspections.objection.filed": gettext_lazy("Objection to the result received (异议)"),
    "inspections.objection.answered": gettext_lazy("Objection answered"),
    "inspections.repair.applied": gettext_lazy("Credit repair applied for (信用修复)"),
    "inspections.repair.decided": gettext_lazy("Credit repair decided"),
    "inspections.result.display_ended": gettext_lazy(
        "Public display of the result ended: its period ran out"
    ),
    "inspections.visit.merged": gettext_lazy("Joined to a joint visit"),
    "inspections.visit.finished": gettext_lazy("Field work finished"),
    "inspections.visit.replaced": gettext_lazy("Replaced by the next alternate target"),
    "inspections.visit.deadline_recomputed": gettext_lazy("Provisional deadline recomputed"),
    "inspections.alternate.requested": gettext_lazy("Asked to inspect the next alternate"),
    "inspections.alternate.decided": gettext_lazy("Request to inspect the alternate decided"),
    "inspections.record.saved": gettext_lazy("Field record saved"),
    "inspections.attachment.added": gettext_lazy("Evidence attached"),
    "inspections.question.added": gettext_lazy("Knowledge-check question added"),
    "inspections.quiz.recorded": gettext_lazy("Knowledge check taken"),
    "inspections.result.entered": gettext_lazy("Result entered"),
    "inspections.result.returned": gettext_lazy("Result returned for correction"),
    "inspections.result.approved": gettext_lazy("Result approved"),
    "inspections.result.published": gettext_lazy("Result published"),
    "inspections.result.corrected": gettext_lazy("Published result corrected"),
    "inspections.followup.added": gettext_lazy("Follow-up added"),
    "inspections.followup.closed": gettext_lazy("Follow-up closed"),
    "cases.lead.received": gettext_lazy("Lead received"),
    "plans.item.class_ratios_changed": gettext_lazy("Ratios per credit-risk class of a plan item changed"),
    "credit.classes.imported": gettext_lazy("Credit-risk classes imported from the credit system"),
    "credit.classes.recompute_requested": gettext_lazy("Recomputation of credit-risk classes requested"),
    "credit.classes.recomputed": gettext_lazy("Credit-risk classes recomputed"),
    "credit.reports.imported": gettext_lazy("Annual-report filings imported"),
    "credit.hazard.changed": gettext_lazy("Industry hazard level changed"),
    "cases.lead.assigned": gettext_lazy("Lead assigned"),
    "cases.lead.check_approved": gettext_lazy("Check of the lead approved (检查审批)"),
    "cases.lead.transferred": gettext_lazy("Lead transferred"),
    "cases.lead.noted": gettext_lazy("Note added to a lead"),
    "cases.lead.linked": gettext_lazy("Lead linked to a case"),
    "cases.lead.closed": gettext_lazy("Lead closed"),
    "cases.lead.reopened": gettext_lazy("Lead reopened"),
    "cases.special.created": gettext_lazy("Special inspection created"),
    "council.composition.established": gettext_lazy("Joint-meeting composition entered"),
    "council.change.proposed": gettext_lazy("Change of joint-meeting members proposed"),
    "council.change.confirmed": gettext_lazy("Change of joint-meeting members confirmed by a meeting"),
    "council.change.rejected": gettext_lazy("Change of joint-meeting members not confirmed"),
    "council.meeting.scheduled": gettext_lazy("Joint-meeting meeting scheduled"),
    "council.meeting.requested": gettext_lazy("Special meeting requested"),
    "council.meeting.agreed": gettext_lazy("Special meeting agreed by the convenor"),
    "council.meeting.declined": gettext_lazy("Special meeting not agreed by the convenor"),
    "council.meeting.held": gettext_lazy("Meeting recorded as held"),
    "council.topic.submitted": gettext_lazy("Agenda topic submitted"),
    "council.topic.decided": gettext_lazy("Agenda topic decided"),
    "council.attendance.recorded": gettext_lazy("Meeting attendance recorded"),
    "council.report.submitted": gettext_lazy("Half-year progress report submitted"),
    "council.minutes.drafted": gettext_lazy("Minutes drafted"),
    "council.minutes.approved": gettext_lazy("Minutes signed off by the convenor"),
    "council.minutes.published": gettext_lazy("Minutes published to the members"),
    "council.decision.added": gettext_lazy("Decision added to the minutes"),
    "council.ledger.created": gettext_lazy("Ledger item created"),
    "council.ledger.progress": gettext_lazy("Ledger item progress noted"),
    "council.ledger.supervised": gettext_lazy("Ledger item supervised by the office"),
    "council.milestone.done": gettext_lazy("Ledger milestone done"),
    "council.evidence.added": gettext_lazy("Ledger evidence attached"),
}
GROUPS = {
    "directory.": gettext_lazy("Targets"),
    "inspectors.": gettext_lazy("Inspectors and experts"),
    "items.": gettext_lazy("Check items"),
    "plans.": gettext_lazy("Annual plans"),
    "draws.": gettext_lazy("Tasks and draws"),
    "inspections.": gettext_lazy("Visits and results"),
    "cases.": gettext_lazy("Leads and cases"),
    "council.": gettext_lazy("Joint meeting"),
    "holidays.": gettext_lazy("Working-day calendar"),
    "accounts.": gettext_lazy("Departments and users"),
    "auth.": gettext_lazy("Logins and passwords"),
    "security.": gettext_lazy("Two-step verification"),
    "export.": gettext_lazy("Downloads"),
    "admin.": gettext_lazy("System administration"),
    "audit.": gettext_lazy("Audit log"),
    "ops.": gettext_lazy("Backups"),
}


def action_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """For the audit log's filter: (group prefix, group in words, [(action, action in words)])."""
    out = []
    for prefix, name in GROUPS.items():
        actions = [(code, str(label)) for code, label in ACTION_LABELS.items() if code.startswith(prefix)]
        out.append((prefix, str(name), actions))
    return out


ADMIN_VERBS = {
    "created": gettext_lazy("System administration: %(model)s created"),
    "changed": gettext_lazy("System administration: %(model)s changed"),
    "deleted": gettext_lazy("System administration: %(model)s deleted"),
    "related_changed": gettext_lazy("System administration: %(model)s links changed"),
}


@lru_cache(maxsize=512)
def _model(name: str):
    """The model whose ``model_name`` (or ``app_label.model_name``) is ``name``, or None."""
    if "." in name:
        try:
            return apps.get_model(name)
        except (LookupError, ValueError):
            return None
    for model in apps.get_models():
        if model._meta.model_name == name:
            return model
    return None


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    parts = action.split(".")
    if len(parts) == 3 and parts[0] == "admin" and parts[2] in ADMIN_VERBS:
        model = _model(parts[1])
        name = str(model._meta.verbose_name) if model else parts[1]
        return str(ADMIN_VERBS[parts[2]]) % {"model": name}
    return action


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def _related(field, value) -> str | None:
    """A foreign key's or many-to-many's stored primary key(s) as the records' names."""
    if field is None or not field.is_relation or field.related_model is None:
        return None
    keys = value if isinstance(value, list) else [value]
    if not all(isinstance(k, int) for k in keys):
        return None
    names = {obj.pk: str(obj) for obj in field.related_model._default_manager.filter(pk__in=keys)}
    return "、".join(names.get(k, str(k)) for k in keys)


def _value(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    related = _related(field, value)
    if related is not None:
        return related
    choices = dict(field.flatchoices) if field is not None and getattr(field, "flatchoices", None) else {}
    if isinstance(value, list):
        return "、".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


def change_rows(object_type: str, changes) -> list[tuple[str, str, str]]:
    """(field in words, old value, new value) for an entry's changes, in the model's field order."""
    if not isinstance(changes, dict):
        return []
    model = _model(object_type) if object_type else None
    order = {f.name: n for n, f in enumerate(model._meta.get_fields())} if model else {}
    rows = []
    for name in sorted(changes, key=lambda n: (order.get(n, len(order)), n)):
        pair = changes[name]
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        field = _field(model, name.removesuffix("_id"))
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
        rows.append((label, _value(field, old), _value(field, new)))
    return rows
