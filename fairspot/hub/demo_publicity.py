"""Publication governance in the demo's finished round (SCJG-2026-000-1), so each user has something to
decide: a firm's objection received through its check code (the department answers it), a request not
to publish one overdue result (the office decides), and a credit repair application received at the
counter for a result already corrected (the department decides). Through the services, audited."""

from __future__ import annotations

from django.utils import timezone

from fairspot.accounts.models import User
from fairspot.inspections import services
from fairspot.inspections.models import ResultStatus, VisitItem

TASK = "SCJG-2026-000"


def _line(status: str, *labels: str, last: bool = False) -> VisitItem | None:
    lines = VisitItem.objects.filter(draw__task__code=TASK, status=status).order_by("-pk" if last else "pk")
    if labels:
        lines = lines.filter(result_code__label__in=labels)
    return lines.first()


def seed_publicity() -> str:
    market = User.objects.get(username="market")
    done = []
    # the last published negative result (a small demo has only a few)
    line = _line(ResultStatus.PUBLISHED, "未按规定公示应当公示的信息", "发现问题经责令已改正", last=True)
    if line is not None:
        services.objection_file(
            line=line,
            applicant="企业联系人（演示）",
            content="本企业2025年度报告已于6月20日通过国家企业信用信息公示系统报送，附报送回执截图，请核实更正。",
        )
        done.append("1 objection")
    line = _line(ResultStatus.APPROVED)
    if line is not None:
        services.withhold_request(
            actor=market,
            line=line,
            legal_basis="《中华人民共和国政府信息公开条例》第十四条、第十五条",
            reason="该检查结果涉及第三方商业秘密，公开会对第三方合法权益造成损害（演示）。",
        )
        done.append("1 request not to publish")
    line = _line(ResultStatus.PUBLISHED, "发现问题经责令已改正")
    if line is not None:
        services.repair_apply(
            actor=market,
            line=line,
            applicant="企业法定代表人（演示）",
            statement="已按责令改正通知完成整改，并承诺今后依法按期公示信息（窗口递交书面申请）。",
            applied_on=timezone.localdate(),
        )
        done.append("1 credit repair application")
    return "  publication: " + ", ".join(done)
