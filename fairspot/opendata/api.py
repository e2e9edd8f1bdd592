"""The open-data API (``/api/v1/``): published results, read-only, no key, JSON, paged, with ETags.

``GET /api/v1/results/?q=&changed_since=&page=`` → ``{"page", "next", "previous", "results": [...]}``.
Without ``changed_since`` the results are newest first; with it, the rows whose published content
changed at or after that moment, oldest change first (an incremental feed: keep the largest
``updated_at`` you saw and ask again from there; rows may repeat at the boundary, keyed by ``id``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.conf import settings
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from fairspot.opendata import selectors
from fairspot.opendata.fields import OPEN_FIELDS
from fairspot.opendata.refresh import ensure_fresh

API_PAGE_SIZE = 100
RESULT_PARAMS = ("q", "changed_since", "page")
MAX_AGE = 60

conditional = decorator_from_middleware(ConditionalGetMiddleware)


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="source_id", help_text="Stable number of the published result")
    target_identifier = serializers.CharField(help_text="统一社会信用代码 (or the target's identifier)")
    target_name = serializers.CharField()
    entity_type = serializers.CharField(help_text="enterprise, individual, cooperative, other_org, …")
    legal_representative = serializers.CharField(help_text="Masked: first character only")
    item_code = serializers.CharField()
    item_name = serializers.CharField()
    department = serializers.CharField(help_text="Department responsible for the item")
    authority = serializers.CharField(help_text="Inspecting authority (all departments of the visit)")
    plan_code = serializers.CharField()
    plan_title = serializers.CharField()
    task_code = serializers.CharField()
    task_title = serializers.CharField()
    inspection_type = serializers.CharField(help_text="定向抽查 / 不定向抽查 / 专项检查")
    inspection_date = serializers.DateField()
    completion_date = serializers.DateField(allow_null=True)
    result_code = serializers.CharField()
    result_label = serializers.CharField(help_text="The result as it stands, after any correction")
    remarks = serializers.CharField()
    corrected = serializers.BooleanField(help_text="Corrected after publication")
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(help_text="When the published content last changed")


assert [name for name, _ in OPEN_FIELDS] == list(ResultSerializer().fields)  # one list of columns

PAGE_SCHEMA = inline_serializer(
    "ResultPage",
    {
        "page": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": ResultSerializer(many=True),
    },
)
ERROR_SCHEMA = inline_serializer("Error", {"detail": serializers.CharField()})


def parse_since(value: str) -> datetime:
    """ISO 8601 date or date-time; naive values are local time. ValueError when malformed."""
    value = value.strip()
    moment = parse_datetime(value) or parse_datetime(value.replace(" ", "+"))
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        return moment.astimezone(UTC)  # PostgreSQL refuses offsets beyond ±15:59 (e.g. +20:30)
    except OverflowError as exc:  # e.g. 0001-01-01T00:00+08:00 is before year 1 in UTC
        raise ValueError(value) from exc


def _error(status: int, detail: str) -> Response:
    return Response({"detail": detail}, status=status)


class PublicAPIView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response


class ResultsView(PublicAPIView):
    @extend_schema(
        summary="Published results",
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Name (substring) or 统一社会信用代码 (prefix)"
            ),
            OpenApiParameter(
                "changed_since",
                OpenApiTypes.DATETIME,
                description="ISO 8601; only results whose published content changed at or after it",
            ),
            OpenApiParameter("page", OpenApiTypes.INT, description=f"1 … {selectors.MAX_PAGE}"),
        ],
        responses={200: PAGE_SCHEMA, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA},
    )
    def get(self, request):
        params = request.query_params
        unknown = sorted(set(params) - set(RESULT_PARAMS))
        if unknown:
            return _error(
                400, f"Unknown parameter(s): {', '.join(unknown)}. Allowed: {', '.join(RESULT_PARAMS)}."
            )
        try:
            q = selectors.clean_query(params.get("q"))
            page_number = selectors.parse_page(params.get("page"))
        except selectors.BadQuery as exc:
            return _error(400, str(exc))
        since = None
        if params.get("changed_since"):
            try:
                since = parse_since(params["changed_since"])
            except ValueError:
                return _error(
                    400, "changed_since is not an ISO 8601 date or date-time, e.g. 2026-01-31T08:00:00+08:00."
                )
        ensure_fresh()
        if since is not None:
            page = selectors.changed_since(since, q, page_number, API_PAGE_SIZE)
        else:
            page = selectors.search(q, page_number, API_PAGE_SIZE)
        if page_number > 1 and not page.rows:
            return _error(404, f"Page {page_number} is out of range.")
        base = request.build_absolute_uri(request.path)

        def link(number):
            query = params.copy()
            query["page"] = str(number)
            return f"{base}?{query.urlencode()}"

        return Response(
            {
                "page": page.number,
                "next": link(page.number + 1) if page.has_next else None,
                "previous": link(page.number - 1) if page.has_previous else None,
                "results": ResultSerializer(page.rows, many=True).data,
            }
        )


class IndexView(PublicAPIView):
    @extend_schema(summary="What the API offers", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(
            {
                "results": reverse("opendata_api:results", request=request),
                "plans": reverse("opendata_api:plans", request=request),
                "schema": reverse("opendata_api:schema", request=request),
                "downloads": request.build_absolute_uri(reverse("opendata:downloads")),
                "feed": request.build_absolute_uri(reverse("opendata:feed")),
                "licence": settings.FAIRSPOT_OPENDATA_LICENCE,
            }
        )


def ping(request):
    """The smallest answer the server gives (health checks; the benchmark's baseline)."""
    return HttpResponse(b'{"ok":true}', content_type="application/json")
