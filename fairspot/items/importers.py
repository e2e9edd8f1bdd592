"""Import of check-item lists (key: department + item code). A change creates a new item version."""

import re
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairspot.accounts.model_import import ModelImporter, Parsed
from fairspot.core.importing import RowContext
from fairspot.core.parsing import ParseError, parse_bool, parse_date, parse_ratio, split_multi
from fairspot.directory.import_parsing import ENTITY_TYPES
from fairspot.directory.models import SpecialLibrary
from fairspot.items.columns import ITEM_COLUMNS
from fairspot.items.models import CheckItem, ItemType
from fairspot.items.versioning import write_version
from fairspot.reference.selectors import industry_section, method_codes, region_lookup

ITEM_TYPES = {
    "重点": ItemType.KEY,
    "重点检查事项": ItemType.KEY,
    "key": ItemType.KEY,
    "一般": ItemType.GENERAL,
    "一般检查事项": ItemType.GENERAL,
    "general": ItemType.GENERAL,
}
LIMITS = {
    "code": 40,
    "name": 200,
    "category": 100,
    "implementing_body": 200,
    "frequency": 200,
    "required_qualification": 100,
    "reason": 255,
}
TEXT_FIELDS = (
    "name",
    "category",
    "legal_basis",
    "implementing_body",
    "target_scope",
    "content",
    "frequency",
    "required_qualification",
)


class ItemImporter(ModelImporter):
    kind = "items"
    model = CheckItem
    columns = ITEM_COLUMNS
    key_field = "code"
    missing_department_message = gettext_lazy("Say which department the item belongs to.")
    action_prefix = "items.item"

    def __init__(self, *, actor, options=None):
        super().__init__(actor=actor, options=options)
        self.methods = method_codes()
        self.libraries = dict(SpecialLibrary.objects.values_list("name", "id")) | dict(
            SpecialLibrary.objects.values_list("code", "id")
        )
        self.today = date.today()

    def bind_columns(self, present: set[str]) -> None:
        self.present = present

    def parse(self, v: dict[str, str], ctx: RowContext) -> Parsed | None:
        for field, limit in LIMITS.items():
            if len(v.get(field, "")) > limit:
                ctx.error(field, _("Longer than %(n)d characters.") % {"n": limit})
        if not v["name"]:
            ctx.error("name", _("The name is required."))
        if not v["code"]:
            ctx.error("code", _("The item code is required."))
        dept = self.department(v.get("department", ""), ctx)
        item_type = ITEM_TYPES.get(v["item_type"].lower())
        if item_type is None:
            ctx.error("item_type", _("The item type is 重点 (key) or 一般 (general)."))
        ratio = cap = None
        try:
            ratio = parse_ratio(v["default_ratio"])
            if ratio is None:
                ctx.error("default_ratio", _("The default ratio is required."))
        except ParseError as exc:
            ctx.error("default_ratio", str(exc))
        try:
            cap = parse_ratio(v.get("ratio_cap", ""))
        except ParseError as exc:
            ctx.error("ratio_cap", str(exc))
        if item_type == ItemType.GENERAL and cap is None and not ctx.failed:
            ctx.error("ratio_cap", _("A general item needs a ratio cap."))
        if item_type == ItemType.KEY and cap is not None:
            ctx.error("ratio_cap", _("Key items have no ratio cap; leave it empty."))
        if ratio is not None and cap is not None and ratio > cap:
            ctx.error(
                "default_ratio",
                _("The default ratio %(ratio)s exceeds the cap %(cap)s.") % {"ratio": ratio, "cap": cap},
            )
        values = {f: v.get(f, "") for f in TEXT_FIELDS if f in self.present}
        values.update(item_type=item_type, default_ratio=ratio, ratio_cap=cap)
        values["checklist"] = "\n".join(
            p.strip() for p in re.split(r"[；\n]", v.get("checklist", "")) if p.strip()
        )
        values["methods"] = self._methods(v.get("methods", ""), ctx)
        values["target_entity_types"] = self._entity_types(v.get("target_entity_types", ""), ctx)
        values["target_industries"] = self._industries(v.get("target_industries", ""), ctx)
        values["target_regions"] = self._regions(v.get("target_regions", ""), ctx)
        library = v.get("target_library", "")
        values["target_library_id"] = self.libraries.get(library) if library else None
        if library and values["target_library_id"] is None:
            ctx.error("target_library", _("Unknown special library “%(value)s”.") % {"value": library[:40]})
        for field, default, low in (("repeat_window_days", 365, 0), ("team_size", 2, 2)):
            text = v.get(field, "")
            try:
                number = int(text) if text else default
                if number < low:
                    raise ValueError
                values[field] = number
            except ValueError:
                ctx.error(field, _("A whole number of at least %(low)d is required.") % {"low": low})
        cap_text = v.get("firm_annual_cap", "")
        try:
            values["firm_annual_cap"] = int(cap_text) if cap_text else None
            if cap_text and values["firm_annual_cap"] < 1:
                raise ValueError
        except ValueError:
            ctx.error("firm_annual_cap", _("Leave it empty, or give a whole number of at least 1."))
        try:
            values["published"] = parse_bool(v.get("published", ""))
        except ParseError as exc:
            ctx.error("published", str(exc))
        effective = self.today
        try:
            effective = parse_date(v.get("effective_from", "")) or self.today
        except ParseError as exc:
            ctx.error("effective_from", str(exc))
        participating = []
        for name in split_multi(v.get("participating_departments", "")):
            pk = self.departments.get(name)
            if pk is None:
                ctx.error(
                    "participating_departments", _("Unknown department “%(value)s”.") % {"value": name[:40]}
                )
            participating.append(pk)
        if ctx.failed:
            return None
        return Parsed(
            key=f"{dept}/{v['code']}",
            values=values,
            m2m={"participating_departments": participating},
            lookup={"department_id": dept, "code": v["code"]},
            extra={"effective_from": effective, "reason": v.get("reason", "")},
        )

    def _methods(self, text: str, ctx: RowContext) -> str:
        codes = []
        for part in split_multi(text):
            code = self.methods.get(part)
            if code is None:
                ctx.error("methods", _("Unknown inspection method “%(value)s”.") % {"value": part[:40]})
            elif code not in codes:
                codes.append(code)
        return ",".join(sorted(codes))

    def _entity_types(self, text: str, ctx: RowContext) -> str:
        out = []
        for part in split_multi(text):
            value = ENTITY_TYPES.get(part.lower())
            if value is None:
                ctx.error("target_entity_types", _("Unknown entity type “%(value)s”.") % {"value": part[:40]})
            else:
                out.append(str(value))
        return "；".join(out)

    def _regions(self, text: str, ctx: RowContext) -> str:
        """Townships (乡镇/街道) by name or code, stored as their codes."""
        lookup = region_lookup()
        out = []
        for part in split_multi(text):
            found = lookup.get(part)
            if found is None:
                ctx.error("target_regions", _("Unknown township “%(value)s”.") % {"value": part[:40]})
            elif found[0] not in out:
                out.append(found[0])
        return "；".join(out)

    def _industries(self, text: str, ctx: RowContext) -> str:
        out = []
        for part in split_multi(text):
            if industry_section(part) is None:
                ctx.error(
                    "target_industries",
                    _("Unknown GB/T 4754-2017 industry code “%(value)s”.") % {"value": part[:10]},
                )
            out.append(part.upper())
        return "；".join(out)

    def other_department_message(self, obj) -> str:
        return _("This item belongs to another department.")

    def prepare_new(self, obj: CheckItem, parsed: Parsed) -> None:
        obj.effective_from = parsed.extra["effective_from"]

    def after_save(self, obj: CheckItem, parsed: Parsed, created: bool, before: dict | None) -> None:
        if not created:
            obj.version += 1
            obj.effective_from = parsed.extra["effective_from"]
            obj.save(update_fields=["version", "effective_from"])
        reason = parsed.extra["reason"] or (_("Created by import") if created else _("Changed by import"))
        write_version(obj, actor=self.actor, reason=reason, effective_from=obj.effective_from)
