"""``GET /api/v1/plans/?year=``: the published annual plans (抽查计划) as open data — each plan's
published version: lead and participating departments, items with their ratios, batches with dates."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from fairspot.opendata.api import ERROR_SCHEMA, PublicAPIView, _error
from fairspot.plans.selectors import published_entries, published_years

PLAN_PARAMS = ("year",)


class DepartmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class PlanItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(help_text="Code of the item's department")
    item_type = serializers.CharField(help_text="key (重点) or general (一般)")
    ratio = serializers.CharField(help_text="Sampling ratio of the plan, e.g. 0.03")
    ratio_cap = serializers.CharField(allow_null=True, help_text="The item's upper limit, if any")


class BatchSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class PlanSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    kind = serializers.CharField(help_text="department (部门抽查计划) or joint (部门联合抽查计划)")
    version = serializers.IntegerField(help_text="The published version")
    published_at = serializers.DateTimeField(allow_null=True)
    department = DepartmentSerializer(help_text="Lead department")
    participating_departments = DepartmentSerializer(many=True)
    scope_kind = serializers.CharField(help_text="undirected (不定向) or directed (定向)")
    target_scope = serializers.CharField()
    items = PlanItemSerializer(many=True)
    batches = BatchSerializer(many=True)


PLANS_SCHEMA = inline_serializer(
    "PlanList",
    {
        "year": serializers.IntegerField(allow_null=True),
        "years": serializers.ListField(child=serializers.IntegerField()),
        "firm_annual_cap": serializers.IntegerField(
            allow_null=True, help_text="Checks per firm and year, all departments counted (null: no cap)"
        ),
        "plans": PlanSerializer(many=True),
    },
)


def _plan(entry) -> dict:
    c = entry.content
    return {
        **{k: c[k] for k in ("code", "title", "year", "kind", "department", "participating_departments")},
        "version": entry.version.version,
        "published_at": entry.plan.published_at,
        "scope_kind": c["scope_kind"],
        "target_scope": c.get("target_scope") or "",
        "items": c["items"],
        "batches": c["batches"],
    }


class PlansView(PublicAPIView):
    @extend_schema(
        summary="Published annual plans",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Plan year (default: the latest)")
        ],
        responses={200: PLANS_SCHEMA, 400: ERROR_SCHEMA},
    )
    def get(self, request):
        params = request.query_params
        unknown = sorted(set(params) - set(PLAN_PARAMS))
        if unknown:
            return _error(400, f"Unknown parameter(s): {', '.join(unknown)}. Allowed: year.")
        years = published_years()
        raw = params.get("year")
        if raw is not None and not (raw.isascii() and raw.isdigit() and len(raw) == 4):
            return _error(400, "year is a four-digit year, e.g. 2026.")
        year = int(raw) if raw is not None else (years[0] if years else None)
        entries = published_entries(year) if year is not None else []
        plans = PlanSerializer([_plan(e) for e in entries], many=True).data
        cap = settings.FAIRSPOT_FIRM_ANNUAL_CAP or None
        return Response({"year": year, "years": years, "firm_annual_cap": cap, "plans": plans})
