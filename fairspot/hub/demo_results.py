"""A finished inspection round in the demo district, so that results, statistics, the diligence record,
the register of failures and the public results have something to show.

One routine task of 市场监管 inspected about six weeks ago: drawn, approved, visited, results entered by
the teams, reviewed by a second administrator and published — most on time, a few still unpublished
and past their 20-working-day deadline (the register of failures lists them), a few with problems
found and followed up. Everything goes through the services (audited), as officers would do it.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from fairspot.accounts.models import User
from fairspot.directory.models import Target
from fairspot.draws import services as draws
from fairspot.holidays.workdays import add_working_days
from fairspot.inspections import services as inspections
from fairspot.inspections.models import Disposition, ResultStatus
from fairspot.items.models import CheckItem
from fairspot.reference.models import ResultCode

CEREMONY = {
    "name": "ceremony",
    "kind": "ceremony",
    "format": "^[0-9a-f]{32}$",
    "description": "两名见证人现场掷骰产生的32位十六进制数（演示）",
    "fallback": "未按时产生则公开放弃本次抽取并重新承诺",
}
# result label, how many of the drawn targets get it (the rest: 未发现问题)
FINDINGS = [
    ("发现问题经责令已改正", 3),
    ("未按规定公示应当公示的信息", 2),
    ("公示信息隐瞒真实情况弄虚作假", 1),
    ("通过登记的住所（经营场所）无法联系", 1),
]
TO_CORRECT = {"未按规定公示应当公示的信息", "公示信息隐瞒真实情况弄虚作假"}
UNPUBLISHED = 3  # results entered and approved but never published: overdue in the demo


def seed_results() -> str:
    market = User.objects.get(username="market")
    second = User.objects.get(username="office")
    item = CheckItem.objects.get(department__code="SCJG", code="A07")  # 公示信息抽查
    today = timezone.localdate()
    # about a dozen visits whatever the demo's size (--targets): 0.1 % of 20,000, 3 % of 300
    frame = Target.objects.filter(department__code="SCJG", status="active").count()
    ratio = min(
        Decimal("0.05"), max(Decimal("0.001"), (Decimal(12) / max(frame, 1)).quantize(Decimal("0.0001")))
    )
    day = today - timedelta(days=45)
    task = draws.task_create(
        actor=market,
        items=[item],
        values={
            "code": "SCJG-2026-000",
            "title": "2026年第三季度企业公示信息双随机抽查（演示，已完成）",
            "inspection_date": day,
            "ratio": ratio,
            "alternates": 1,
        },
    )
    draw = draws.draw_commit(actor=market, task=task, sources=[CEREMONY])
    for user in (market, second):
        draws.source_enter(actor=user, draw=draw, name="ceremony", value="a1b2c3d4e5f60718293a4b5c6d7e8f90")
    draw = draws.draw_reveal(actor=market, draw=draw)
    inspections.draw_approve(
        actor=market,
        draw=draw,
        legal_basis=item.legal_basis or "《企业信息公示暂行条例》第十四条",
        note="演示：批量审批本次抽取的全部检查",
    )
    visits = inspections.visits_create_for_draw(actor=market, draw=draw)
    codes = {c.label: c for c in ResultCode.objects.filter(scheme="2017双随机")}
    labels = [label for label, n in FINDINGS for _ in range(n)]
    published = 0
    for n, visit in enumerate(visits):
        label = labels[n] if n < len(labels) else "未发现问题"
        end = add_working_days(day, 2)
        inspections.visit_finish(actor=market, visit=visit, end_date=end)
        for line in visit.lines.all():
            line = inspections.result_enter(
                actor=market, line=line, version=line.version, result_code=codes[label], remarks=""
            )
            line = inspections.result_review(actor=second, line=line, version=line.version, approve=True)
            if label in TO_CORRECT:
                inspections.followup_add(
                    actor=second,
                    line=line,
                    disposition=Disposition.CORRECT,
                    note="责令限期改正（演示）",
                    correct_by=end + timedelta(days=15),
                    recheck_on=end + timedelta(days=20),
                )
            if n >= len(visits) - UNPUBLISHED:
                continue  # left unpublished: past its deadline in the demo
            if line.status == ResultStatus.APPROVED:
                inspections.result_publish(actor=second, line=line, version=line.version)
                published += 1
    return f"  draw {draw.draw_id}: {len(visits)} visits, {published} results published"
