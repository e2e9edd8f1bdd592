"""The open-data API: shape, search, the incremental feed, ETags, the schema, and bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fairspot.opendata import api, selectors
from fairspot.opendata.models import PublishedResult

pytestmark = pytest.mark.django_db
URL = "/api/v1/results/"


def test_results_page_shape_no_login(client, world):
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["page"] == 1 and body["next"] is None and body["previous"] is None
    corrected = next(r for r in body["results"] if r["id"] == world["corrected"].pk)
    assert corrected["result_label"] == "发现问题经责令已改正" and corrected["corrected"] is True
    assert corrected["remarks"] == "更正后的备注" and corrected["task_code"] == "T-1"
    assert corrected["inspection_date"] == "2025-09-22" and corrected["completion_date"] == "2025-09-26"
    assert "public" in response["Cache-Control"]


def test_search_by_code_and_by_name(client, world):
    target = world["enterprise"].visit.target
    found = client.get(URL, {"q": target.identifier}).json()["results"]
    assert [r["id"] for r in found] == [world["enterprise"].pk]
    assert [r["id"] for r in client.get(URL, {"q": target.identifier[:-1].lower()}).json()["results"]] == [
        world["enterprise"].pk
    ]
    assert [r["id"] for r in client.get(URL, {"q": "张**便利"}).json()["results"]] == [world["individual"].pk]
    assert [r["id"] for r in client.get(URL, {"q": "便利店"}).json()["results"]] == [world["individual"].pk]
    assert [r["id"] for r in client.get(URL, {"q": "高新"}).json()["results"]] == [world["individual"].pk]
    # two characters from the middle of a name (Chinese names are short: 华远 must find 新乡华远科技)
    assert [r["id"] for r in client.get(URL, {"q": "便利"}).json()["results"]] == [world["individual"].pk]
    assert [r["id"] for r in client.get(URL, {"q": "区 便利"}).json()["results"]] == [world["individual"].pk]
    assert client.get(URL, {"q": "不存在的企业"}).json()["results"] == []


def test_paging_with_next_links(client, world, monkeypatch):
    monkeypatch.setattr(api, "API_PAGE_SIZE", 2)
    first = client.get(URL).json()
    assert len(first["results"]) == 2 and first["next"].endswith("page=2")
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None and second["previous"].endswith("page=1")
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 3


def test_changed_since_is_an_incremental_feed(client, world):
    rows = client.get(URL).json()["results"]
    latest = max(r["updated_at"] for r in rows)
    assert len(client.get(URL, {"changed_since": "2000-01-01"}).json()["results"]) == 3
    assert len(client.get(URL, {"changed_since": latest}).json()["results"]) >= 1
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    assert client.get(URL, {"changed_since": later}).json()["results"] == []
    # a '+' typed into a URL arrives as a space
    raw = (timezone.localtime() + timedelta(hours=1)).isoformat()
    assert client.get(URL + "?changed_since=" + raw.replace("+", "%20")).status_code == 200
    # only rows whose content changed move
    PublishedResult.objects.filter(source_id=world["enterprise"].pk).update(
        updated_at=timezone.now() + timedelta(days=2)
    )
    since = (timezone.now() + timedelta(days=1)).isoformat()
    assert [r["id"] for r in client.get(URL, {"changed_since": since}).json()["results"]] == [
        world["enterprise"].pk
    ]


def test_etag_and_not_modified(client, world):
    first = client.get(URL)
    etag = first["ETag"]
    assert etag
    again = client.get(URL, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(URL, {"q": "便利店"}, headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize(
    "params, status",
    [
        ({"q": "x" * (selectors.MAX_QUERY + 1)}, 400),
        ({"page": "abc"}, 400),
        ({"page": "0"}, 400),
        ({"page": "-3"}, 400),
        ({"page": str(selectors.MAX_PAGE + 1)}, 400),
        ({"page": "99"}, 404),
        ({"changed_since": "yesterday"}, 400),
        ({"changed_since": "2025-13-45"}, 400),
        ({"changed_since": "2025-09-22T25:00"}, 400),
        ({"q": "a", "order_by": "name"}, 400),
        ({"format": "xml"}, 400),
    ],
)
def test_bad_input_is_a_clear_4xx(client, world, params, status):
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "q",
    [
        "' OR 1=1 --",
        '"; DROP TABLE opendata_publishedresult; --',
        "<script>alert(1)</script>",
        'NEAR("a" "b") OR *',
        "%_\\",
        '"""',
        "a AND b OR c NOT d",
        "企业' UNION SELECT * FROM accounts_user --",
    ],
)
def test_sql_or_markup_in_the_search_is_just_text(client, world, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200 and response.json()["results"] == []
    page = client.get("/public/results/", {"q": q})
    assert page.status_code == 200
    assert b"<script>alert(1)</script>" not in page.content
    assert PublishedResult.objects.count() == 3


def test_index_ping_and_schema(client, world):
    index = client.get("/api/v1/").json()
    assert index["results"].endswith("/api/v1/results/") and index["schema"].endswith("/api/schema/")
    assert client.get("/api/v1/ping").content == b'{"ok":true}'
    schema = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert schema.status_code == 200
    spec = schema.json()
    assert "/api/v1/results/" in spec["paths"]
    names = {p["name"] for p in spec["paths"]["/api/v1/results/"]["get"]["parameters"]}
    assert names == {"q", "changed_since", "page"}


def test_read_only(client, world):
    assert client.post(URL, {}, content_type="application/json").status_code == 405
    assert client.delete(URL).status_code == 405
    assert client.post("/public/results/").status_code == 405
