"""Build the demo district: departments, users, special libraries, items, inspectors, experts, targets."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fairspot.accounts.models import Department, Role, User
from fairspot.audit.services import record
from fairspot.directory.importers import TargetImporter
from fairspot.directory.models import SpecialLibrary, Target
from fairspot.hub import demo
from fairspot.hub.demo_council import load_council
from fairspot.hub.demo_credit import seed_credit
from fairspot.hub.demo_publicity import seed_publicity
from fairspot.hub.demo_results import CEREMONY, seed_results
from fairspot.inspectors.importers import InspectorImporter
from fairspot.inspectors.models import Conflict, ConflictKind, Expert, Inspector
from fairspot.items.importers import ItemImporter
from fairspot.items.models import CheckItem

DEMO_PASSWORD = "fairspot-demo"  # noqa: S105 - printed by `make demo`; demo databases only
# The demo admin's TOTP key (base32 FAIRSPOTDEMOADMINTOTPKEYDEMOONLY, see README); `demo_totp` prints codes.
DEMO_TOTP_KEY = "2811193dd31918e00d886cdd37a8981918e73578"


def is_demo_database() -> bool:
    """Everything here was made by seed_demo: its audit entry exists and no user was added since."""
    from fairspot.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="demo.district.loaded").order_by("pk").first()
    if entry is None:
        return False
    made = set(entry.data.get("users", [])) | set(entry.data.get("departments", []))
    return (
        set(User.objects.values_list("username", flat=True)) <= made
        and set(Department.objects.values_list("code", flat=True)) <= made
    )


class Command(BaseCommand):
    help = "Load the demo district (fictional 新乡高新区) through the real import path."

    def add_arguments(self, parser):
        parser.add_argument(
            "--targets", type=int, default=20_000, help="number of market entities (default 20,000)"
        )
        parser.add_argument(
            "--seed", type=int, default=20210101, help="random seed: same seed, same district"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when departments already exist"
        )

    def handle(self, *args, **options):
        if Department.objects.exists() or User.objects.exists():
            if options["if_empty"] and is_demo_database():
                self.stdout.write("The database already has data; demo not loaded again.")
                return
            raise CommandError(
                "The database already has departments or users that the demo did not create; "
                "seed_demo fills an empty database only and never a real district."
            )
        district = demo.DemoDistrict(Path(settings.VAR_DIR) / "demo", seed=options["seed"])
        with transaction.atomic():
            self._organisation()
        self._import(ItemImporter, district.write_items(), "items")
        codes: dict[str, list[str]] = {}
        for dept, code in CheckItem.objects.values_list("department__code", "code"):
            codes.setdefault(dept, []).append(code)
        self._import(InspectorImporter, district.write_inspectors(codes), "inspectors")
        self._link_users()
        path = district.write_targets(options["targets"])
        self._import(TargetImporter, path, "targets", department="SCJG")
        with transaction.atomic():
            self._experts_and_conflicts(district)
            load_council(password=DEMO_PASSWORD, seed=options["seed"])
            record(
                None,
                "demo.district.loaded",
                object_type="accounts.department",
                object_repr="新乡高新区（演示）",
                data={
                    "departments": list(Department.objects.values_list("code", flat=True)),
                    "users": list(User.objects.values_list("username", flat=True)),
                    "libraries": list(SpecialLibrary.objects.values_list("code", flat=True)),
                    "experts": Expert.objects.count(),
                    "conflicts": Conflict.objects.count(),
                    "seed": options["seed"],
                },
            )
        seed_credit(seed=options["seed"])
        self._demo_draw()
        self.stdout.write(seed_results())
        self.stdout.write(seed_publicity())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district loaded: {Department.objects.count()} departments, "
                f"{Target.objects.count()} targets, {Inspector.objects.count()} inspectors, "
                f"{Expert.objects.count()} experts, {CheckItem.objects.count()} check items. "
                f"Users: see README (password {DEMO_PASSWORD})."
            )
        )

    def _organisation(self) -> None:
        for order, (code, name, short, office) in enumerate(demo.DEPARTMENTS, start=1):
            Department.objects.create(
                code=code, name=name, short_name=short, is_office=office, sort_order=order
            )
        depts = {d.code: d for d in Department.objects.all()}
        for code, name, dept in demo.LIBRARIES:
            SpecialLibrary.objects.create(code=code, name=name, department=depts[dept])
        admin = User.objects.create_superuser("admin", "", DEMO_PASSWORD, role=Role.SYSADMIN)
        admin.first_name = "系统管理员"
        admin.save()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=admin, name="演示", key=DEMO_TOTP_KEY, confirmed=True)
        User.objects.create_user(
            "office", password=DEMO_PASSWORD, role=Role.OFFICE, department=depts["SCJG"], first_name="联席办"
        )
        User.objects.create_user(
            "market",
            password=DEMO_PASSWORD,
            role=Role.DEPT_ADMIN,
            department=depts["SCJG"],
            first_name="市场监管管理员",
        )
        for code, dept in depts.items():
            if code != "SCJG":
                User.objects.create_user(
                    code.lower(),
                    password=DEMO_PASSWORD,
                    role=Role.DEPT_ADMIN,
                    department=dept,
                    first_name=f"{dept.short_name}管理员",
                )

    def _import(self, importer_cls, path: Path, label: str, department: str | None = None) -> None:
        options = {}
        if department:
            options["department_id"] = Department.objects.get(code=department).pk
        report = importer_cls(actor=None, options=options).run(path, file_name=path.name)
        if not report.ok:
            for err in report.errors[:20]:
                self.stderr.write(f"{path.name} row {err.row} {err.column}: {err.message}")
            raise CommandError(f"demo {label} did not import: {report.summary()}")
        self.stdout.write(f"  {label}: {report.summary()}")

    def _link_users(self) -> None:
        for inspector in Inspector.objects.filter(staff_no__in=["SCJG-001", "SCJG-002", "XFJY-001"]):
            user = User.objects.create_user(
                inspector.staff_no.lower(),
                password=DEMO_PASSWORD,
                role=Role.INSPECTOR,
                department=inspector.department,
                first_name=inspector.name,
            )
            inspector.user = user
            inspector.save(update_fields=["user"])

    def _demo_draw(self) -> None:
        """One revealed draw, so the demo shows a draw's manifest, sources, result and teams."""
        from datetime import date, timedelta
        from decimal import Decimal

        from fairspot.draws import services as draws

        market, office = User.objects.get(username="market"), User.objects.get(username="office")
        item = CheckItem.objects.get(department__code="SCJG", code="A07")  # 公示信息抽查
        # the seed changes with the commit's time: a small directory (the tests' 300 targets) drawn at 1 %
        # sometimes gave no target at all, so it is drawn at the item's cap, 5 %
        ratio = Decimal("0.01") if Target.objects.count() >= 5000 else Decimal("0.05")
        task = draws.task_create(
            actor=market,
            items=[item],
            values={
                "code": "SCJG-2026-001",
                "title": "2026年第一批企业公示信息双随机抽查（演示）",
                "inspection_date": date.today() + timedelta(days=10),
                "ratio": ratio,
                "alternates": 1,
            },
        )
        draw = draws.draw_commit(actor=market, task=task, sources=[CEREMONY])
        value = "3f9c2b7d1e4a8c6f0b5d2e9a7c4f1b3d"
        for user in (market, office):
            draws.source_enter(actor=user, draw=draw, name="ceremony", value=value)
        draw = draws.draw_reveal(actor=market, draw=draw)
        # 检查审批: the department approves the draw's checks at once, so its visits may start
        from fairspot.inspections.services import draw_approve

        draw_approve(
            actor=market,
            draw=draw,
            legal_basis=item.legal_basis or "《企业信息公示暂行条例》第十四条",
            note="演示：批量审批本次抽取的全部检查",
        )
        self.stdout.write(
            f"  draw {draw.draw_id}: {draw.drawn.filter(alternate=False).count()} targets, "
            f"{draw.teams.count()} teams"
        )

    def _experts_and_conflicts(self, district: demo.DemoDistrict) -> None:
        depts = list(Department.objects.filter(code__in=["SCJG", "YJGL", "STHJ", "WSJK"]))
        for i, data in enumerate(district.experts()):
            Expert.objects.create(department=depts[i % len(depts)], **data)
        inspectors = list(Inspector.objects.order_by("staff_no")[:10])
        targets = list(Target.objects.order_by("identifier")[:10])
        kinds = list(ConflictKind.values)
        for i, (inspector, target) in enumerate(zip(inspectors, targets, strict=False)):
            Conflict.objects.create(
                inspector=inspector,
                target=target,
                kind=kinds[i % len(kinds)],
                department=inspector.department,
                valid_from=district.today.replace(year=district.today.year - 2),
                note="演示数据",
            )
