"""The Chinese catalogue is complete and its compiled .mo matches the .po that is committed."""

from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "fairspot/locale/zh_Hans/LC_MESSAGES/django.po"


def test_every_message_is_translated():
    catalogue = polib.pofile(str(PO))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_compiled_catalogue_matches_source():
    source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo")))}
    compiled.pop((None, ""), None)
    assert compiled == source


def test_interface_is_chinese_by_default(client, office, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(office)
    html = client.get("/").content.decode()
    assert "工作台" in html and "Dashboard" not in html
