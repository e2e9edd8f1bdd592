"""The demo district's joint meeting (联席会议), set up as the founding notice (新开〔2021〕6号) has it:
the convenor (demo account ``convenor``) from the market-supervision group, a deputy from the
administrative service centre, the office hosted by the market-supervision group (account ``office``),
every demo department a member unit. Last month's plenary was held: topics, progress reports,
attendance, minutes signed off and published, two decisions turned into ledger items (one overdue). A
special meeting requested by the fire brigade awaits the convenor's answer, and a new liaison officer
of the health bureau awaits the next meeting. Names come from Faker."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from faker import Faker

from fairspot.accounts.models import Department, Role, User
from fairspot.council import services
from fairspot.council.models import (
    ChangeKind,
    LedgerStatus,
    Member,
    MemberKind,
    PostKind,
    Presence,
    ProgressReport,
    Topic,
)

CONVENOR_USERNAME = "convenor"


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def load_council(*, password: str, seed: int) -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(seed + 12)
    depts = {d.code: d for d in Department.objects.all()}
    office = User.objects.get(username="office")
    convenor = User.objects.create_user(
        CONVENOR_USERNAME,
        password=password,
        role=Role.DEPT_ADMIN,
        department=depts["SCJG"],
        first_name="召集人（演示）",
    )
    services.composition_establish(
        actor=office,
        since=date(2021, 3, 11),
        posts=[
            {
                "kind": PostKind.CONVENOR,
                "person": fake.name(),
                "title": "区市场监管工作小组组长",
                "department": depts["SCJG"],
                "user": convenor,
            },
            {
                "kind": PostKind.DEPUTY,
                "person": fake.name(),
                "title": "区行政服务中心主任",
                "department": depts["XZFW"],
            },
            {
                "kind": PostKind.OFFICE_HEAD,
                "person": fake.name(),
                "title": "信用信息监管科科长",
                "department": depts["SCJG"],
                "user": office,
            },
        ],
        members=[
            {
                "department": d,
                "kind": MemberKind.MEMBER,
                "leader": fake.name(),
                "leader_title": "副主任",
                "liaison": fake.name(),
                "liaison_phone": f"0373-{fake.random_number(digits=7, fix_len=True)}",
            }
            for d in depts.values()
        ],
    )
    admins = {
        d.code: User.objects.get(role=Role.DEPT_ADMIN, department=d, username=d.code.lower())
        for d in depts.values()
        if d.code != "SCJG"
    }
    admins["SCJG"] = User.objects.get(username="market")
    _plenary(office, convenor, depts, admins)
    services.change_propose(
        actor=admins["WSJK"],
        department=depts["WSJK"],
        kind=ChangeKind.LIAISON,
        values={"new_person": fake.name(), "new_phone": "0373-5550199", "reason": "原联络员工作调动。"},
    )
    services.special_request(
        actor=admins["XFJY"],
        department=depts["XFJY"],
        title="消防与应急管理联合抽查频次协调专题会议",
        reason="两部门对同一批企业的检查时间相近，企业反映重复检查，需协调合并为一次联合检查。",
    )


def _plenary(office, convenor, depts, admins) -> None:
    today = timezone.localdate()
    held_on = today - timedelta(days=30)
    meeting = services.plenary_schedule(
        actor=office,
        title=f"{held_on.year}年{'上' if held_on.month <= 6 else '下'}半年联席会议全体会议",
        starts_at=_at(held_on, 9),
        place="管委会三楼会议室",
        topic_deadline=held_on - timedelta(days=7),
        report_deadline=held_on - timedelta(days=5),
    )
    early = held_on - timedelta(days=10)
    for code, title in [
        ("SCJG", "推进部门联合抽查占比达到40%"),
        ("YJGL", "危险化学品企业检查与消防检查合并实施"),
    ]:
        topic = services.topic_submit(
            actor=admins[code], meeting=meeting, department=depts[code], title=title, today=early
        )
        services.topic_decide(actor=office, topic=topic, accept=True)
    for code in ("SCJG", "XFJY", "YJGL", "STHJ", "WSJK", "SWJ"):
        services.report_submit(
            actor=admins[code],
            meeting=meeting,
            department=depts[code],
            progress="本半年按计划完成双随机抽查任务，抽查结果已在规定时限内公示。",
            problems="部分检查对象地址变更，名录库更新不及时。",
            plans="下半年完善检查对象名录库，提高联合抽查比例。",
        )
    # the demo writes last month's meeting today: its topics and reports were in before their deadlines
    Topic.objects.filter(meeting=meeting).update(submitted_at=_at(early, 10))
    ProgressReport.objects.filter(meeting=meeting).update(submitted_at=_at(held_on - timedelta(days=6), 16))
    leaders = dict(Member.objects.values_list("department__code", "leader"))
    services.attendance_record(
        actor=office,
        meeting=meeting,
        rows=[
            (d, Presence.EXCUSED, "") if code == "CZJ" else (d, Presence.PRESENT, leaders[code])
            for code, d in depts.items()
        ],
    )
    meeting = services.meeting_hold(actor=office, meeting=meeting, held_on=held_on)
    minutes = services.minutes_draft(
        actor=office,
        meeting=meeting,
        number=f"高新区双随机联席会议纪要〔{held_on.year}〕2号",
        body="会议听取了各成员单位落实部门联合“双随机、一公开”监管工作的进展情况汇报。\n"
        "会议指出，各成员单位要严格落实抽查计划，按时公示抽查结果，提高部门联合抽查比例。\n"
        "会议研究了下列事项，议定如下。",
    )
    first = services.decision_add(
        actor=office,
        meeting=meeting,
        text="各成员单位建立本单位工作任务台账，倒排时间表，明确责任人。",
        lead=depts["SCJG"],
    )
    second = services.decision_add(
        actor=office,
        meeting=meeting,
        text="消防、应急管理部门对危险化学品企业的检查合并为一次联合检查。",
        lead=depts["YJGL"],
    )
    services.minutes_approve(actor=convenor, minutes=minutes)
    services.minutes_publish(actor=office, minutes=minutes)
    market = services.item_create(
        actor=office,
        decision=first,
        department=depts["SCJG"],
        task="建立市场监管工作任务台账并报联席会议办公室",
        owner="信用监管科 王敏（演示）",
        owner_phone="0373-5550101",
        due_date=today + timedelta(days=40),
        start=held_on,
    )
    services.item_progress(
        actor=admins["SCJG"],
        item=market,
        text="已制定工作方案，正在汇总任务。",
        status=LedgerStatus.IN_PROGRESS,
    )
    services.item_create(
        actor=office,
        decision=first,
        department=depts["XFJY"],
        task="建立消防工作任务台账并报联席会议办公室",
        owner="防火监督科 李强（演示）",
        due_date=today - timedelta(days=10),
        start=held_on,
    )
    services.item_create(
        actor=office,
        decision=second,
        department=depts["YJGL"],
        task="拟定危险化学品企业联合检查方案",
        owner="安全生产科 张伟（演示）",
        due_date=today + timedelta(days=20),
        start=held_on,
    )
