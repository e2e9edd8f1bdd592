"""The demo district's credit-risk classes: the credit system's class of every target (the class the
demo's target file gave it), an industry hazard table, a few annual reports filed with zeros or not at
all, then one recomputation by the published rules. Bulk writes only: a few seconds for 20,000 targets."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from fairspot.credit.models import (
    AnnualReport,
    ChangeKind,
    ClassChange,
    CreditStanding,
    IndustryHazard,
    Recompute,
    ReportStatus,
)
from fairspot.credit.services import recompute_run
from fairspot.directory.models import Target
from fairspot.reference.models import Industry

SOURCE = "国家企业信用信息公示系统（演示）"
# division → (hazard level, why): the district's leading industries and the usual high-hazard trades
HAZARDS = {
    "26": (3, "危险化学品"),
    "27": (2, "医药制造"),
    "14": (2, "食品制造"),
    "38": (2, "动力电池"),
    "37": (2, "航空航天"),
    "64": (0, "互联网和相关服务"),
    "65": (0, "软件和信息技术服务"),
}


def seed_credit(*, seed: int) -> Recompute:
    rng = random.Random(seed)
    now = timezone.now()
    classified_on = timezone.localdate() - timedelta(days=30)
    with transaction.atomic():
        known = set(Industry.objects.filter(code__in=HAZARDS).values_list("code", flat=True))
        IndustryHazard.objects.bulk_create(
            [
                IndustryHazard(division_id=c, level=lv, note=why)
                for c, (lv, why) in HAZARDS.items()
                if c in known
            ]
        )
        standings, changes, reports = [], [], []
        year = classified_on.year - 1
        for pk, cls in Target.objects.values_list("pk", "risk_class").iterator(5000):
            if cls:
                standings.append(
                    CreditStanding(
                        target_id=pk,
                        imported_class=cls,
                        imported_on=classified_on,
                        imported_source=SOURCE,
                        effective_class=cls,
                    )
                )
                evidence = [
                    {"rule": "imported", "class": cls, "on": classified_on.isoformat(), "source": SOURCE}
                ]
                changes.append(
                    ClassChange(
                        target_id=pk,
                        changed_at=now,
                        kind=ChangeKind.IMPORTED,
                        new_class=cls,
                        rule="imported",
                        evidence=evidence,
                    )
                )
            roll = rng.random()
            if roll < 0.03:
                reports.append(AnnualReport(target_id=pk, year=year, status=ReportStatus.ZERO))
            elif roll < 0.05:
                reports.append(AnnualReport(target_id=pk, year=year, status=ReportStatus.MISSING))
        CreditStanding.objects.bulk_create(standings, batch_size=5000)
        ClassChange.objects.bulk_create(changes, batch_size=5000)
        AnnualReport.objects.bulk_create(reports, batch_size=5000)
    return recompute_run(Recompute.objects.create())
