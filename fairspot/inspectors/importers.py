"""Import of the inspector directory (key: staff number)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairspot.accounts.model_import import ModelImporter, Parsed
from fairspot.core.importing import RowContext
from fairspot.core.parsing import ParseError, choice_lookup, parse_date, split_multi
from fairspot.inspectors.columns import INSPECTOR_COLUMNS
from fairspot.inspectors.models import Inspector, PersonStatus
from fairspot.items.selectors import item_lookup
from fairspot.reference.selectors import township_lookup

STATUSES = choice_lookup(
    PersonStatus.choices,
    {
        "在岗": PersonStatus.ACTIVE,
        "停用": PersonStatus.SUSPENDED,
        "暂停": PersonStatus.SUSPENDED,
        "离岗": PersonStatus.LEFT,
        "调离": PersonStatus.LEFT,
    },
)
LIMITS = {
    "staff_no": 40,
    "name": 50,
    "certificate_no": 40,
    "qualifications": 255,
    "expertise": 255,
    "phone": 30,
}


class InspectorImporter(ModelImporter):
    kind = "inspectors"
    model = Inspector
    columns = INSPECTOR_COLUMNS
    key_field = "staff_no"
    missing_department_message = gettext_lazy("Say which department the inspector belongs to.")
    action_prefix = "inspectors.inspector"

    def __init__(self, *, actor, options=None):
        super().__init__(actor=actor, options=options)
        self.townships = township_lookup()
        self.items = item_lookup()

    def bind_columns(self, present: set[str]) -> None:
        self.present = present

    def parse(self, v: dict[str, str], ctx: RowContext) -> Parsed | None:
        for field, limit in LIMITS.items():
            if len(v.get(field, "")) > limit:
                ctx.error(field, _("Longer than %(n)d characters.") % {"n": limit})
        if not v["staff_no"]:
            ctx.error("staff_no", _("The staff number is required."))
        if not v["name"]:
            ctx.error("name", _("The name is required."))
        values: dict = {"name": v["name"]}
        dept = self.department(v.get("department", ""), ctx)
        values["department_id"] = dept
        expiry = None
        try:
            expiry = parse_date(v.get("certificate_expiry", ""))
        except ParseError as exc:
            ctx.error("certificate_expiry", str(exc))
        if v.get("certificate_no") and expiry is None and not ctx.failed:
            ctx.error("certificate_expiry", _("A certificate needs its expiry date."))
        for field in ("certificate_no", "phone"):
            if field in self.present:
                values[field] = v.get(field, "")
        if "certificate_expiry" in self.present:
            values["certificate_expiry"] = expiry
        for field in ("qualifications", "expertise"):
            if field in self.present:
                values[field] = "；".join(split_multi(v.get(field, "")))
        for field in ("posted_township", "residence_township"):
            if field in self.present:
                text = v.get(field, "")
                town = self.townships.get(text) if text else None
                if text and town is None:
                    ctx.error(field, _("Unknown township or street “%(value)s”.") % {"value": text[:40]})
                values[f"{field}_id"] = town
        if v.get("status"):
            status = STATUSES.get(v["status"].lower())
            if status is None:
                ctx.error("status", _("Unknown status “%(value)s”.") % {"value": v["status"][:40]})
            values["status"] = status
        m2m = {}
        if "items" in self.present:
            ids = []
            for code in split_multi(v.get("items", "")):
                pk = self.items.get(code)
                if pk is None:
                    message = (
                        _("Item code “%(code)s” is used by several departments: write DEPT/CODE.")
                        if code in self.items
                        else _("Unknown check item “%(code)s”.")
                    )
                    ctx.error("items", message % {"code": code[:40]})
                else:
                    ids.append(pk)
            m2m["items"] = ids
        if ctx.failed:
            return None
        return Parsed(key=v["staff_no"], values=values, m2m=m2m, lookup={"staff_no": v["staff_no"]})

    def other_department_message(self, obj) -> str:
        return _("Staff number %(key)s belongs to another department's inspector.") % {"key": obj.staff_no}
