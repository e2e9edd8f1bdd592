"""A task's population is exactly the targets its check items apply to (适用主体类型, industries, library)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairspot.accounts.models import Role, User
from fairspot.directory.models import SpecialLibrary, Target
from fairspot.draws import services
from fairspot.draws.population import freeze, summarize
from fairspot.draws.scope import reason_label
from fairspot.inspectors.models import Inspector
from fairspot.items.models import CheckItem
from fairspot.testing.directory import uscc

pytestmark = pytest.mark.django_db
CEREMONY = {"name": "ceremony", "kind": "ceremony", "format": "^[0-9a-f]{32}$", "fallback": "公开放弃"}

TYPES = ["enterprise", "individual", "cooperative", "other_org", "product", "project"]
INDUSTRIES = [("C", "1310"), ("C", "3811"), ("F", "5211"), ("H", "6210"), ("I", "6510")]


def _item(department, code, **scope):
    return CheckItem.objects.create(
        department=department,
        code=code,
        name=f"事项{code}",
        item_type="general",
        default_ratio=Decimal("0.03"),
        ratio_cap=Decimal("1"),
        effective_from=date(2026, 1, 1),
        **scope,
    )


def _target(department, n, entity_type, industry=("C", "1310"), library=None):
    prefix = {"product": "CP-", "project": "XM-"}.get(entity_type)
    target = Target.objects.create(
        identifier=f"{prefix}{n:08d}" if prefix else uscc(),
        name=f"对象{n}",
        entity_type=entity_type,
        industry_section=industry[0],
        industry_code=industry[1],
        department=department,
    )
    if library is not None:
        target.libraries.add(library)
    return target


def _task(actor, items, code="T-S"):
    values = dict(
        code=code, title="范围", inspection_date=date(2026, 12, 15), ratio=Decimal("0.5"), alternates=0
    )
    return services.task_create(actor=actor, values=values, items=items)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_disclosure_draw_never_takes_a_product_or_a_project(client, market_admin, departments, media):
    market = departments["market"]
    item = _item(market, "A07", target_entity_types="enterprise；cooperative")
    for n in range(30):
        _target(market, n, TYPES[n % len(TYPES)])
    for n in range(4):
        Inspector.objects.create(
            department=market,
            staff_no=f"SCJG-{n:03d}",
            name=f"检查员{n}",
            certificate_no=f"Z{n}",
            certificate_expiry=date(2030, 1, 1),
        )
    colleague = User.objects.create_user("m2", password="pw", role=Role.DEPT_ADMIN, department=market)
    task = _task(market_admin, [item])
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    for user in (market_admin, colleague):
        services.source_enter(
            actor=user, draw=draw, name="ceremony", value="00112233445566778899aabbccddeeff"
        )
    draw = services.draw_reveal(actor=market_admin, draw=draw)
    drawn = [d.target.entity_type for d in draw.drawn.select_related("target")]
    assert drawn and set(drawn) <= {"enterprise", "cooperative"}
    client.cookies["django_language"] = "zh-hans"  # chosen in the menu
    page = client.get(f"/public/draws/{draw.draw_id}/").content.decode()
    from django.utils import translation

    translation.activate("en")
    assert page.count("不属于该事项适用的主体类型") == 1 + 20  # the count, then each excluded target
    assert "out_of_scope_entity_type" not in page
    frozen = freeze(task)
    reasons = {e["id"]: e["reason"] for e in frozen.exclusions}
    for target in Target.objects.all():
        inside = target.entity_type in ("enterprise", "cooperative")
        assert (target.identifier in reasons) is not inside
        if not inside:
            assert reasons[target.identifier] == "out_of_scope_entity_type"
    labels = dict(summarize(task).excluded_by_label())
    assert labels == {reason_label("out_of_scope_entity_type"): 20}


def test_the_preview_says_which_rule_removed_whom(client, market_admin, departments):
    market = departments["market"]
    item = _item(market, "A07", target_entity_types="enterprise", target_industries="C")
    _target(market, 1, "enterprise", ("F", "5211"))
    _target(market, 2, "product")
    _target(market, 3, "enterprise", ("C", "3811"))
    task = _task(market_admin, [item])
    client.force_login(market_admin)
    client.cookies["django_language"] = "zh-hans"  # chosen in the menu
    html = client.get(f"/draws/tasks/{task.pk}/").content.decode()
    from django.utils import translation

    translation.activate("en")
    assert "不属于该事项适用的主体类型: 1" in html and "不属于该事项适用的行业: 1" in html


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    directory=st.lists(
        st.tuples(st.sampled_from(TYPES), st.sampled_from(INDUSTRIES), st.booleans()), min_size=1, max_size=25
    ),
    items=st.lists(
        st.tuples(
            st.lists(st.sampled_from(TYPES), unique=True, max_size=3),
            st.lists(st.sampled_from(["C", "F", "13", "381", "I"]), unique=True, max_size=2),
            st.booleans(),
        ),
        min_size=1,
        max_size=3,
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_no_drawn_target_ever_falls_outside_its_items_scope(
    market_admin, departments, directory, items, seed
):
    market = departments["market"]
    with transaction.atomic():
        library = SpecialLibrary.objects.create(code="LIB", name="专项库", department=market)
        targets = [
            _target(market, n, kind, industry, library if in_lib else None)
            for n, (kind, industry, in_lib) in enumerate(directory)
        ]
        check_items = [
            _item(
                market,
                f"I{k}",
                target_entity_types="；".join(types),
                target_industries="；".join(codes),
                target_library=library if use_lib else None,
            )
            for k, (types, codes, use_lib) in enumerate(items)
        ]

        def applies(target, spec) -> bool:
            types, codes, use_lib = spec
            section, code = target.industry_section, target.industry_code
            return (
                (not types or target.entity_type in types)
                and (not codes or any(c == section if c.isalpha() else code.startswith(c) for c in codes))
                and (not use_lib or target.libraries.filter(pk=library.pk).exists())
            )

        task = _task(market_admin, check_items)
        frozen = freeze(task)
        excluded = {e["id"] for e in frozen.exclusions}
        for target in targets:
            in_scope = all(applies(target, spec) for spec in items)
            assert (target.identifier not in excluded) is in_scope, (target.entity_type, items)
        transaction.set_rollback(True)


def test_an_item_for_one_township_excludes_the_others_by_region(market_admin, departments):
    market = departments["market"]
    item = _item(market, "R1", target_regions="410771360")
    inside = _target(market, 1, "enterprise")
    outside = _target(market, 2, "enterprise")
    Target.objects.filter(pk=inside.pk).update(township_id="410771360")
    Target.objects.filter(pk=outside.pk).update(township_id="410771560")
    frozen = freeze(_task(market_admin, [item]))
    assert frozen.exclusions == [{"id": outside.identifier, "reason": "out_of_scope_region"}]


def test_the_items_import_reads_regions_by_name_or_code(tmp_path, departments):
    from fairspot.items.importers import ItemImporter

    path = tmp_path / "items.csv"
    path.write_text(
        "所属部门,事项编码,事项名称,事项类别,默认比例,比例上限,适用区域\n"
        "SCJG,R2,区域事项,一般,0.03,0.05,振中街道；关堤乡；410771360\n"
        "SCJG,R3,错误事项,一般,0.03,0.05,火星乡\n",
        encoding="utf-8",
    )
    report = ItemImporter(actor=None, options={"department_id": departments["market"].pk}).run(path)
    assert [(e.row, e.column) for e in report.errors] == [(3, "适用区域")] and "火星乡" in report.errors[
        0
    ].message
    path.write_text(
        "所属部门,事项编码,事项名称,事项类别,默认比例,比例上限,适用区域\n"
        "SCJG,R2,区域事项,一般,0.03,0.05,振中街道；关堤乡；410771360\n",
        encoding="utf-8",
    )
    report = ItemImporter(actor=None, options={"department_id": departments["market"].pk}).run(path)
    assert report.ok, report.errors
    regions = CheckItem.objects.get(code="R2").target_regions.split("；")
    assert len(regions) == 2 and "410771360" in regions
