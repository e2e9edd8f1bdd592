"""The content of a plan as one JSON document (a version's snapshot) and its flat form for audit diffs."""

from decimal import Decimal

from fairspot.plans.models import Plan


def ratio_text(value) -> str | None:
    return None if value is None else format(Decimal(value).quantize(Decimal("0.0001")).normalize(), "f")


def _department(department) -> dict:
    return {"code": department.code, "name": department.name, "short_name": department.short_name}


def plan_content(plan: Plan) -> dict:
    """Everything a version of the plan says: header, scope, items with ratios, batches with dates."""
    items = plan.items.select_related("item", "item__department").order_by(
        "item__department__sort_order", "item__code"
    )
    return {
        "year": plan.year,
        "code": plan.code,
        "title": plan.title,
        "kind": plan.kind,
        "version": plan.version,
        "department": _department(plan.department),
        "participating_departments": [
            _department(d) for d in plan.participating_departments.order_by("sort_order", "code")
        ],
        "scope_kind": plan.scope_kind,
        "target_scope": plan.target_scope,
        "entity_types": plan.entity_types,
        "industry_sections": plan.industry_sections,
        "township": ({"code": plan.township.code, "name": plan.township.name} if plan.township_id else None),
        "library": {"code": plan.library.code, "name": plan.library.name} if plan.library_id else None,
        "description": plan.description,
        "items": [
            {
                "code": pi.item.code,
                "name": pi.item.name,
                "department": pi.item.department.code,
                "department_name": pi.item.department.short_name or pi.item.department.name,
                "item_type": pi.item.item_type,
                "ratio": ratio_text(pi.ratio),
                "ratio_cap": ratio_text(pi.item.ratio_cap),
                "item_version": pi.item.version,
                # only when set: the versions of plans without it keep their bytes
                **({"class_ratios": pi.class_ratios} if pi.class_ratios else {}),
            }
            for pi in items
        ],
        "batches": [
            {
                "number": b.number,
                "name": b.name,
                "start_date": b.start_date.isoformat(),
                "end_date": b.end_date.isoformat(),
            }
            for b in plan.batches.order_by("number")
        ],
    }


def flat_content(plan: Plan) -> dict:
    """The plan's content with lists as one line each, so the history shows readable before → after."""
    return flatten(plan_content(plan))


def flatten(content: dict) -> dict:
    """A version's content (``plan_content``) flattened for diffs, e.g. against the plan being reviewed."""
    content = dict(content)
    content.pop("version", None)
    content["department"] = content["department"]["code"]
    content["participating_departments"] = "；".join(d["code"] for d in content["participating_departments"])
    content["township"] = content["township"]["code"] if content["township"] else ""
    content["library"] = content["library"]["code"] if content["library"] else ""
    content["items"] = "；".join(f"{i['code']} {i['ratio']}" for i in content["items"])
    content["batches"] = "；".join(
        f"{b['number']} {b['name']} {b['start_date']}–{b['end_date']}" for b in content["batches"]
    )
    return content
