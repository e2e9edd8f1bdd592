"""The portal publishes the daily chain heads; a copy kept outside catches a rewritten log."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from fairspot.audit.models import AuditEntry
from fairspot.audit.publishing import publish_head
from fairspot.audit.services import record

pytestmark = pytest.mark.django_db


def test_portal_lists_the_published_heads_without_login(client, office, tmp_path):
    assert "尚未公布" in client.get(reverse("portal:audit_anchors")).content.decode()
    with transaction.atomic():
        record(office, "test.thing.changed")
    anchor, _ = publish_head()
    page = client.get(reverse("portal:audit_anchors"))
    assert page.status_code == 200 and "public" in page["Cache-Control"]
    html = page.content.decode()
    assert anchor.digest in html and anchor.day.strftime("%Y-%m-%d") in html
    assert "sessionid" not in page.cookies
    assert client.post(reverse("portal:audit_anchors")).status_code == 405
    text = client.get(reverse("portal:audit_anchors_txt"))
    assert text.content.decode() == f"{anchor.entry_id} {anchor.digest} {anchor.day:%Y-%m-%d}\n"

    kept = tmp_path / "kept.txt"  # what someone outside saved
    kept.write_bytes(text.content)
    AuditEntry.objects.all().delete()
    anchor.delete()  # the forger also removes the published head from the database
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("audit_verify", "--anchors", str(kept), stdout=StringIO(), stderr=err)
    assert exit_.value.code == 1 and "kept.txt line 1" in err.getvalue()
