"""The demo district: a fictional but realistic 新乡高新区 built through the real import path.

Departments come from the bulletin (market-supervision group, administrative service centre,
management-committee office, human-resources department, finance bureau, tax bureau, comprehensive
supervision and enforcement bureau) plus those a district really has. Names come from Faker's zh_CN
locale — never real people. The generated lists are written as CSV under var/demo/ and loaded with the
same importers users run, so they double as example files.

The tables the district is drawn from are in :mod:`fairspot.hub.demo_data`.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from fairspot.directory.columns import TARGET_COLUMNS
from fairspot.hub.demo_data import (
    DEPARTMENTS,
    INDUSTRY_WEIGHTS,
    INSPECTOR_COUNTS,
    ITEM_ENTITY_TYPES,
    ITEM_TYPES_KEY,
    LIBRARIES,
    LIBRARIES_BY_CODE,
    MARKET_ENTITIES,
    OTHER_ITEMS,
    QUALIFICATIONS,
    ROADS,
    SHOP_WORDS,
)
from fairspot.lib.uscc import make_uscc
from fairspot.reference.loading import read

__all__ = ["DEPARTMENTS", "LIBRARIES", "DemoDistrict"]  # the tables seed_demo and the checks read


def _weighted(rng: random.Random, pairs):
    total = sum(w for _, w, *_ in pairs)
    x = rng.uniform(0, total)
    for entry in pairs:
        x -= entry[1]
        if x <= 0:
            return entry
    return pairs[-1]


class DemoDistrict:
    def __init__(self, out_dir: Path, *, seed: int = 20210101):
        self.out = out_dir
        self.out.mkdir(parents=True, exist_ok=True)
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.today = date.today()
        divisions = read("xinxiang_divisions.csv")
        self.townships = [d for d in divisions if d["parent_code"] == "410771" and d["level"] == "乡级"]
        self.communities = [d for d in divisions if d["parent_code"] in {t["code"] for t in self.townships}]

    # --- targets -------------------------------------------------------------------------------
    def write_targets(self, n: int) -> Path:
        path = self.out / "targets.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            # the import's own columns; the department is given for the whole file (seed_demo)
            writer.writerow([c.labels[0] for c in TARGET_COLUMNS if c.field != "department"])
            writer.writerows(self._targets(n))
        return path

    def _targets(self, n: int) -> Iterator[list[str]]:
        rng, fake = self.rng, self.fake
        seen: set[str] = set()
        four_up = min(266, n // 10)
        for i in range(n):
            division, _, libs = _weighted(rng, INDUSTRY_WEIGHTS)
            roll = rng.random()
            if i < four_up:
                etype, prefix = "企业", "91"
            elif division in ("01", "03") and roll < 0.5:
                etype, prefix = "农民专业合作社", "93"
            elif division in SHOP_WORDS and roll < 0.8:
                etype, prefix = "个体工商户", "92"
            elif roll < 0.01:
                etype, prefix = "其他组织", "52"
            else:
                etype, prefix = "企业", "91"
            while True:
                code = make_uscc(
                    prefix + "410771" + "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=9))
                )
                if code not in seen:
                    seen.add(code)
                    break
            place = rng.choice(self.communities) if rng.random() < 0.7 else rng.choice(self.townships)
            person = fake.name()
            if etype == "个体工商户":
                name = f"新乡高新区{person}{rng.choice(SHOP_WORDS[division])}"
            elif etype == "农民专业合作社":
                name = f"新乡市{fake.company_prefix()}种植养殖专业合作社"
            elif etype == "其他组织":
                name = f"新乡高新区{fake.company_prefix()}社会服务中心"
            else:
                name = f"新乡{fake.company()}"
            status = _weighted(rng, [("存续", 950), ("注销", 30), ("吊销", 10), ("撤销", 5), ("迁出", 5)])[0]
            risk = _weighted(rng, [("A", 30), ("B", 50), ("C", 15), ("D", 5)])[0]
            established = self.today - timedelta(days=rng.randint(60, 365 * 25))
            tags = ["四上企业"] if i < four_up else []
            if division in ("38", "36"):
                tags.append("动力电池和新能源汽车")
            elif division == "27":
                tags.append("生命科学和生物技术")
            elif division == "37":
                tags.append("航空航天")
            elif division in ("64", "65"):
                tags.append("大数据")
            libraries = [code for code in libs if rng.random() < 0.35]
            yield [
                code,
                name,
                etype,
                division,
                place["name"].removeprefix("开发区"),
                "新乡市市场监督管理局高新区分局",
                f"新乡市高新区{rng.choice(ROADS)}{rng.randint(1, 999)}号",
                person,
                status,
                established.isoformat(),
                risk,
                "是" if rng.random() < 0.03 else "否",
                "；".join(tags),
                "；".join(dict(LIBRARIES_BY_CODE)[c] for c in libraries),
            ]
        for j in range(max(1, n // 200)):  # a few non-entity targets: products and projects
            kind = "产品" if j % 2 == 0 else "项目"
            ident = f"{'CP' if kind == '产品' else 'XM'}-2026-{j:05d}"
            name = (
                f"{fake.company_prefix()}牌锂离子动力电池"
                if kind == "产品"
                else f"{fake.company_prefix()}产业园建设项目"
            )
            place = rng.choice(self.townships)
            yield [
                ident,
                name,
                kind,
                "38" if kind == "产品" else "47",
                place["name"].removeprefix("开发区"),
                "",
                "",
                "",
                "存续",
                "",
                "",
                "否",
                "",
                "",
            ]

    # --- items ---------------------------------------------------------------------------------
    def write_items(self) -> Path:
        path = self.out / "items.csv"
        rows = read("zhejiang_check_items.csv")
        grouped: dict[str, list[dict]] = {}
        for row in rows:
            grouped.setdefault(row["code"], []).append(row)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "所属部门",
                    "事项编码",
                    "事项名称",
                    "事项类别",
                    "抽查类别",
                    "检查依据",
                    "实施主体",
                    "检查对象",
                    "检查内容",
                    "检查要点",
                    "检查方式",
                    "默认比例",
                    "比例上限",
                    "参与部门",
                    "检查频次",
                    "专项库",
                    "所需资格",
                    "已公开",
                    "适用主体类型",
                ]
            )
            for code, subs in grouped.items():
                first = subs[0]
                key = code[0] in ITEM_TYPES_KEY
                methods = "；".join(sorted({m for s in subs for m in _methods(s["method"])})) or "实地检查"
                library = {"B01": "食品生产企业", "C10": "特种设备使用单位", "C11": "特种设备使用单位"}.get(
                    code, ""
                )
                qualification = {"B": "食品安全检查员", "C": "产品质量监督"}.get(code[0], "")
                if code in ("C10", "C11"):
                    qualification = "特种设备安全监察员"
                writer.writerow(
                    [
                        "SCJG",
                        code,
                        first["item_name"],
                        "重点" if key else "一般",
                        first["category"],
                        _legal_basis(subs),
                        "高新区市场监管工作小组",
                        "；".join(dict.fromkeys(s["target"] for s in subs)),
                        first["item_name"],
                        "；".join(s["sub_item"] for s in subs),
                        methods,
                        "0.1" if key else "0.03",
                        "" if key else "0.05",
                        "",
                        first["frequency"][:200],
                        library,
                        qualification,
                        "是",
                        ITEM_ENTITY_TYPES.get(code, MARKET_ENTITIES),
                    ]
                )
            for dept, code, name, kind, ratio, cap, points, methods, library_code, qual in OTHER_ITEMS:
                library = dict(LIBRARIES_BY_CODE).get(library_code, "")
                writer.writerow(
                    [
                        dept,
                        code,
                        name,
                        kind,
                        "",
                        "",
                        "",
                        "",
                        name,
                        points,
                        "；".join(_METHOD_LABELS[m] for m in methods.split(",")),
                        ratio,
                        cap,
                        "SCJG" if dept == "ZHZF" else "",
                        "每年一次",
                        library,
                        qual,
                        "是",
                        ITEM_ENTITY_TYPES.get(code, MARKET_ENTITIES),
                    ]
                )
        return path

    # --- inspectors ----------------------------------------------------------------------------
    def write_inspectors(self, item_codes: dict[str, list[str]]) -> Path:
        path = self.out / "inspectors.csv"
        rng, fake = self.rng, self.fake
        towns = [t["name"].removeprefix("开发区") for t in self.townships]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "工号",
                    "姓名",
                    "所属部门",
                    "执法证号",
                    "执法证有效期至",
                    "资格类型",
                    "专业特长",
                    "可执行事项",
                    "驻地乡镇",
                    "居住乡镇",
                    "联系电话",
                    "状态",
                ]
            )
            serial = 0
            for dept, count in INSPECTOR_COUNTS.items():
                for k in range(1, count + 1):
                    serial += 1
                    expired = rng.random() < 0.05
                    expiry = self.today + timedelta(
                        days=rng.randint(-300, -1) if expired else rng.randint(30, 1500)
                    )
                    quals = [
                        "行政执法证",
                        *rng.sample(
                            QUALIFICATIONS.get(dept, []),
                            k=min(len(QUALIFICATIONS.get(dept, [])), rng.randint(0, 2)),
                        ),
                    ]
                    codes = item_codes.get(dept, [])
                    items = (
                        rng.sample(codes, k=rng.randint(max(1, len(codes) // 2), len(codes))) if codes else []
                    )
                    writer.writerow(
                        [
                            f"{dept}-{k:03d}",
                            fake.name(),
                            dept,
                            f"豫41077{serial:06d}",
                            expiry.isoformat(),
                            "；".join(quals),
                            "；".join(
                                rng.sample(["机械", "化工", "电子", "食品", "医药", "建筑", "计算机"], k=2)
                            ),
                            "；".join(f"{dept}/{c}" for c in sorted(items)),
                            rng.choice(towns),
                            rng.choice(towns),
                            fake.phone_number(),
                            "在岗" if rng.random() > 0.03 else "停用",
                        ]
                    )
        return path

    def experts(self, n: int = 20) -> Iterator[dict]:
        rng, fake = self.rng, self.fake
        kinds = [
            ("testing", "检测技术有限公司"),
            ("research", "研究院"),
            ("university", "学院"),
            ("hospital", "医院"),
        ]
        for _ in range(n):
            kind, suffix = rng.choice(kinds)
            yield {
                "name": fake.name(),
                "organisation": f"新乡{fake.company_prefix()}{suffix}",
                "organisation_type": kind,
                "expertise": "；".join(
                    rng.sample(["锂电池", "压力容器", "食品检验", "药品", "电梯", "环境监测", "消防"], k=2)
                ),
                "title": rng.choice(["高级工程师", "工程师", "研究员", "副教授"]),
                "phone": fake.phone_number(),
                "email": fake.email(),
            }


_METHOD_LABELS = {r["code"]: r["label"] for r in read("check_methods.csv")}


_METHOD_WORDS = {"现场": "1", "实地": "1", "书面": "2", "检验": "4", "检测": "4", "网络": "5", "委托": "6"}


def _legal_basis(subs: list[dict]) -> str:
    """An item's legal basis from all its sub-items, each named with the targets it applies to.

    The source list gives each sub-item (one per kind of target) its own basis: A09's first row is the
    foreign representative offices' regulation, its second the individual businesses' rules. Taking the
    first row alone put a foreign-office regulation on a notice to a domestic business."""
    bases = dict.fromkeys(s["legal_basis"] for s in subs if s["legal_basis"])
    if len(bases) <= 1:
        return next(iter(bases), "")
    return "；".join(f"{s['target']}：{s['legal_basis']}" for s in subs if s["legal_basis"])


def _methods(text: str) -> list[str]:
    return [_METHOD_LABELS[code] for word, code in _METHOD_WORDS.items() if word in text]
