"""Only what is published, and no personal data — in the page, the API, the downloads and the feed."""

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from fairspot.inspectors.models import Inspector
from fairspot.opendata import bulk
from fairspot.opendata.privacy import mask_numbers, mask_text, public_target
from fairspot.testing.opendata import (
    ID_CARD,
    OWNER,
    PHONE,
    SECRET_DRAFT,
    SECRET_FINDINGS,
    SECRET_OPINION,
)

pytestmark = pytest.mark.django_db


def test_masks():
    assert mask_numbers(f"身份证{ID_CARD}。") == f"身份证410{'*' * 11}{ID_CARD[-4:]}。"
    assert mask_numbers("41070219901301123X") == "41070219901301123X"  # month 13: not an ID number
    assert mask_numbers(f"电话{PHONE}") == "电话138****5678"
    assert mask_numbers("+86 138-1234-5678") == "+86 138-****-5678"
    assert mask_numbers("座机0373-5551234") == "座机0373-*****34"
    assert mask_text("张三丰来过", names=("张三丰",)) == "张**来过"
    assert public_target("高新区张三丰便利店", "张三丰", "individual") == ("高新区张**便利店", "张**")
    assert public_target("新乡某某科技有限公司", "李四", "enterprise") == ("新乡某某科技有限公司", "李*")


def _outputs(client, tmp_path, settings):
    """Everything the open data publishes, as text."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("build_opendata", stdout=io.StringIO())
    texts = [
        client.get("/public/results/").content.decode(),
        client.get("/api/v1/results/").content.decode(),
        client.get("/public/results/feed/").content.decode(),
    ]
    folder = bulk.opendata_dir()
    for path in folder.iterdir():
        if path.suffix in {".csv", ".json"}:
            texts.append(path.read_text(encoding="utf-8-sig"))
        elif path.suffix == ".xlsx":
            sheet = load_workbook(path, read_only=True).active
            texts.append("\n".join(" ".join(str(c) for c in row if c is not None) for row in sheet.values))
    return texts


def test_only_published_results_and_no_personal_data_anywhere(client, world, tmp_path, settings):
    texts = _outputs(client, tmp_path, settings)
    assert len(texts) == 10  # page, API, feed, 2 CSV and 2 XLSX of results, plans CSV and XLSX, manifest
    api = json.loads(texts[1])["results"]
    assert {r["id"] for r in api} == {world["enterprise"].pk, world["individual"].pk, world["corrected"].pk}
    inspectors = list(Inspector.objects.values_list("name", "staff_no"))
    draft_target = world["draft"].visit.target
    for text in texts:
        for secret in (SECRET_DRAFT, SECRET_OPINION, SECRET_FINDINGS, OWNER, PHONE, ID_CARD, "risk"):
            assert secret not in text
        for name, staff_no in inspectors:
            assert name not in text and staff_no not in text
        assert draft_target.identifier not in text  # the draft's target has nothing published
        assert "李0明" not in text  # legal representatives are masked
    assert "经营者张**当场改正，电话138****5678，身份证410" + "*" * 11 + ID_CARD[-4:] in texts[0]
    assert "高新区张**便利店" in texts[1]


def test_api_fields_are_the_published_ones_only(client, world):
    row = client.get("/api/v1/results/").json()["results"][0]
    assert set(row) == {
        "id",
        "target_identifier",
        "target_name",
        "entity_type",
        "legal_representative",
        "item_code",
        "item_name",
        "department",
        "authority",
        "plan_code",
        "plan_title",
        "task_code",
        "task_title",
        "inspection_type",
        "inspection_date",
        "completion_date",
        "result_code",
        "result_label",
        "remarks",
        "corrected",
        "published_at",
        "updated_at",
    }
