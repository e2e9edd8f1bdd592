"""Inspections in tests: a revealed draw (inspection date 2025-09-22), results entered and published."""

from datetime import date

from fairspot.draws import services as draw_services
from fairspot.inspections import services
from fairspot.reference.models import ResultCode
from fairspot.testing.draws import CEREMONY, confirm, make_task

DAY = date(2025, 9, 22)
END = date(2025, 9, 26)


def reveal(admin, second, item, code="T-1", **kw):
    kw.setdefault("inspection_date", DAY)
    task = make_task(admin, item, code=code, **kw)
    draw = draw_services.draw_commit(actor=admin, task=task, sources=[CEREMONY])
    confirm(draw, admin, second)
    return draw_services.draw_reveal(actor=admin, draw=draw)


LEGAL_BASIS = "《企业信息公示暂行条例》第十四条"


def approve(admin, draw, legal_basis=LEGAL_BASIS):
    """The batch approval (检查审批) of the draw's checks: without it no visit of the draw starts."""
    return services.draw_approve(actor=admin, draw=draw, legal_basis=legal_basis)


def code(label):
    return ResultCode.objects.get(scheme="2017双随机", label=label)


def enter(actor, line, label="未发现问题", remarks=""):
    line.refresh_from_db()
    return services.result_enter(
        actor=actor, line=line, version=line.version, result_code=code(label), remarks=remarks
    )


def publish(officer, reviewer, line, visit):
    line = enter(officer, line)
    line = services.result_review(actor=reviewer, line=line, version=line.version, approve=True)
    services.visit_finish(actor=officer, visit=visit, end_date=END)
    return services.result_publish(actor=reviewer, line=line, version=line.version)
