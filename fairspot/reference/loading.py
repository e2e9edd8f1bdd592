"""Loads the reference CSVs shipped in fairspot/reference/data into the database (used by migrations)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_all(apps) -> None:
    industry = apps.get_model("reference", "Industry")
    rows = read("gbt4754_industries.csv")
    industry.objects.bulk_create(
        [industry(code=r["code"], name=r["name"], level=r["level"]) for r in rows], ignore_conflicts=True
    )
    for r in rows:
        if r["parent_code"]:
            industry.objects.filter(code=r["code"]).update(parent_id=r["parent_code"])

    division = apps.get_model("reference", "Division")
    division.objects.bulk_create(
        [
            division(
                code=r["code"],
                code12=r["code12"],
                name=r["name"],
                level=r["level"],
                type=r["type"],
                parent_id=r["parent_code"] or None,
            )
            for r in read("xinxiang_divisions.csv")
        ],
        ignore_conflicts=True,
    )

    method = apps.get_model("reference", "CheckMethod")
    method.objects.bulk_create(
        [method(code=r["code"], label=r["label"]) for r in read("check_methods.csv")], ignore_conflicts=True
    )

    result = apps.get_model("reference", "ResultCode")
    result.objects.bulk_create(
        [
            result(
                scheme=r["scheme"],
                code=r["code"],
                label=r["label"],
                group=r["group"],
                meaning=r["meaning"],
                parent_code=r["parent_code"],
                alt_labels=r["alt_labels"],
            )
            for r in read("result_codes.csv")
        ],
        ignore_conflicts=True,
    )

    followup = apps.get_model("reference", "FollowupAction")
    followup.objects.bulk_create(
        [followup(seq=int(r["seq"]), label=r["label"]) for r in read("followup_actions.csv")],
        ignore_conflicts=True,
    )
