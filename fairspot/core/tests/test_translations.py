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


def test_a_browser_asking_for_english_still_gets_chinese(client, office, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(office)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert "工作台" in html and "Dashboard" not in html
    assert response["Content-Language"] == "zh-hans"


def test_english_only_when_chosen_in_the_menu(client, office, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(office)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Dashboard" in html and "工作台" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get("/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client, office, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx-klingon"
    assert "工作台" in client.get("/").content.decode()
