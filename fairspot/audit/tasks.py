"""Background work of the audit log, run by ``manage.py db_worker`` (see hub.periodic)."""

from django_tasks import task

from fairspot.audit.publishing import publish_head


@task()
def publish_audit_anchor() -> str:
    """Daily: publish today's audit chain head on the portal (once a day; later runs change nothing)."""
    anchor, new = publish_head()
    if anchor is None:
        return "empty"
    return f"{anchor.day} {anchor.entry_id} {'published' if new else 'already published'}"
