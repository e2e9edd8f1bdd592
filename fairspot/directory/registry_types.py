"""Entity types as the market-entity register writes them (主体类型/企业类型), mapped to our coarse classes.

A register extract names types such as 有限责任公司（自然人投资或控股）,
股份有限公司(非上市、自然人投资或控股), 个人独资企业, 普通合伙企业, 有限责任公司分公司, 外商投资企业,
个体工商户 or 农民专业合作社 (full- or half-width brackets).
``classify`` maps any of them to enterprise / individual business / farmer cooperative /
other body by ordered rules on the normalised text; the importer keeps the text as given in
``Target.registry_type``. When a file has no type column, ``class_from_uscc`` infers the class from the
统一社会信用代码 (GB 32100-2015): its 1st character is the registration authority (登记管理部门码) and its
2nd the kind of body (机构类别码). The rules are documented in docs/imports.md.
"""

from __future__ import annotations

import re

ENTERPRISE, INDIVIDUAL, COOPERATIVE, OTHER_ORG = "enterprise", "individual", "cooperative", "other_org"

_BRACKETS = str.maketrans(
    {"（": "(", "）": ")", "【": "(", "】": ")", "［": "(", "］": ")", "，": ",", "、": ","}
)
_SPACE = re.compile(r"\s+")

# Ordered: the first rule whose word occurs in the normalised text decides (个体 before 企业, 合作社 before
# 联合, 常驻代表机构 before 企业 — a foreign enterprise's representative office is not an enterprise).
RULES: tuple[tuple[str, str], ...] = (
    ("个体工商户", INDIVIDUAL),
    ("个体户", INDIVIDUAL),
    ("个体经营", INDIVIDUAL),
    ("农民专业合作社", COOPERATIVE),
    ("合作社", COOPERATIVE),
    ("常驻代表机构", OTHER_ORG),
    ("代表处", OTHER_ORG),
    ("公司", ENTERPRISE),  # 有限责任公司…, 股份有限公司…, …分公司, 外国(地区)公司分支机构
    ("个人独资", ENTERPRISE),  # 个人独资企业 and its branches
    ("合伙", ENTERPRISE),  # 普通合伙企业, 特殊普通合伙企业, 有限合伙企业 and their branches
    ("全民所有制", ENTERPRISE),
    ("集体所有制", ENTERPRISE),
    ("股份合作", ENTERPRISE),
    ("联营", ENTERPRISE),
    ("外商投资", ENTERPRISE),
    ("外国(地区)企业", ENTERPRISE),
    ("港澳台", ENTERPRISE),
    ("中外合资", ENTERPRISE),
    ("中外合作", ENTERPRISE),
    ("非公司企业法人", ENTERPRISE),
    ("企业", ENTERPRISE),  # 内资企业, 私营企业, …分支机构 of an enterprise
    ("事业单位", OTHER_ORG),
    ("社会团体", OTHER_ORG),
    ("民办非企业", OTHER_ORG),
    ("社会服务机构", OTHER_ORG),
    ("基金会", OTHER_ORG),
    ("机关", OTHER_ORG),
)


def normalise(text: str) -> str:
    return _SPACE.sub("", text.translate(_BRACKETS))


def classify(text: str) -> str | None:
    """The coarse class of a register type name, or None when no rule applies."""
    norm = normalise(text)
    if "非企业" in norm and "非公司企业" not in norm:  # 民办非企业单位
        return OTHER_ORG
    for word, cls in RULES:
        if word in norm:
            return cls
    return None


# 登记管理部门码 9 (市场监管/工商): 机构类别码 1 企业, 2 个体工商户, 3 农民专业合作社 (and 联合社).
_MARKET = {"1": ENTERPRISE, "2": INDIVIDUAL, "3": COOPERATIVE}


def class_from_uscc(code: str) -> str | None:
    """The coarse class a 统一社会信用代码 implies, or None when it is no 18-character code."""
    if len(code) != 18:
        return None
    authority, kind = code[0], code[1]
    if authority == "9":
        return _MARKET.get(kind)
    # 机构编制, 民政, 司法行政, 外交, 宗教, 工会…: bodies, not market entities
    return OTHER_ORG
