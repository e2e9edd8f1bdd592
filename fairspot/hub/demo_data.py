"""The demo district's tables: departments, inspector counts, special libraries, industry weights, shop
words, roads, the non-market departments' items and qualifications. Fictional, for fairspot.hub.demo."""

DEPARTMENTS = [
    # code, name, short name, hosts the office
    ("SCJG", "高新区市场监管工作小组", "市场监管", True),
    ("XZFW", "高新区行政服务中心", "行政服务中心", False),
    ("GWBGS", "高新区管委会办公室", "管委会办公室", False),
    ("RLZY", "高新区人力资源部", "人力资源部", False),
    ("CZJ", "高新区财政局", "财政局", False),
    ("SWJ", "国家税务总局新乡高新技术产业开发区税务局", "税务局", False),
    ("ZHZF", "高新区综合监督执法局", "综合执法局", False),
    ("STHJ", "新乡市生态环境局高新区分局", "生态环境", False),
    ("YJGL", "高新区应急管理局", "应急管理", False),
    ("XFJY", "高新区消防救援大队", "消防", False),
    ("WSJK", "高新区卫生健康局", "卫生健康", False),
]
INSPECTOR_COUNTS = {
    "SCJG": 48,
    "ZHZF": 22,
    "SWJ": 12,
    "STHJ": 12,
    "YJGL": 12,
    "XFJY": 12,
    "WSJK": 12,
    "RLZY": 8,
    "CZJ": 6,
    "XZFW": 4,
    "GWBGS": 2,
}
LIBRARIES = [
    ("TZSB", "特种设备使用单位", "SCJG"),
    ("SPSC", "食品生产企业", "SCJG"),
    ("CYFW", "餐饮服务单位", "SCJG"),
    ("XFZD", "消防安全重点单位", "XFJY"),
    ("WHQY", "危险化学品企业", "YJGL"),
    ("ZDPW", "重点排污单位", "STHJ"),
    ("GGCS", "公共场所", "WSJK"),
]
# Industry divisions weighted like a high-tech zone: the four leading industries (power batteries and
# new-energy vehicles, life science and biotechnology, aviation and aerospace, big data) among shops,
# restaurants and services. (division, weight, libraries a firm there may be in)
INDUSTRY_WEIGHTS = [
    ("38", 5, ("TZSB", "WHQY")),
    ("36", 3, ("TZSB",)),
    ("27", 3, ("WHQY", "ZDPW")),
    ("37", 1, ("TZSB",)),
    ("65", 5, ()),
    ("64", 2, ()),
    ("39", 2, ()),
    ("26", 2, ("WHQY", "ZDPW")),
    ("34", 2, ("TZSB",)),
    ("14", 1, ("SPSC",)),
    ("13", 1, ("SPSC",)),
    ("52", 22, ()),
    ("51", 9, ()),
    ("62", 12, ("CYFW",)),
    ("80", 7, ("GGCS",)),
    ("72", 5, ()),
    ("75", 3, ()),
    ("70", 2, ()),
    ("48", 2, ()),
    ("54", 2, ()),
    ("61", 1, ("GGCS", "XFZD")),
    ("83", 1, ("XFZD",)),
    ("84", 1, ("GGCS",)),
    ("01", 1, ()),
    ("03", 1, ()),
]
SHOP_WORDS = {
    "52": ["便利店", "超市", "五金店", "服装店", "烟酒店", "药店"],
    "62": ["饭店", "面馆", "烧烤店", "饺子馆"],
    "80": ["理发店", "洗衣店", "家电维修部"],
    "51": ["商贸部", "经营部"],
}
ROADS = ["新二街", "新五街", "火炬大道", "科隆大道", "华兰大道", "新飞大道", "牧野大道", "振中路", "关堤路"]
ITEM_TYPES_KEY = {"B", "C"}  # food/drug and quality/safety items are key items in the demo

# 适用主体类型 of the demo items (the scope a draw must respect); every other item covers market entities.
MARKET_ENTITIES = "企业；个体工商户；农民专业合作社；其他组织"
ITEM_ENTITY_TYPES = {
    "A07": "企业；农民专业合作社",  # 公示信息抽查: enterprises and cooperatives publish
    "A08": "企业；农民专业合作社",
    "A09": "个体工商户；其他组织",  # 年度报告检查 of individual businesses and foreign representative offices
    "C13": "产品",  # 产品质量监督抽查 samples products
    "HJ02": "项目",  # construction projects
    "ZF02": "项目",
}

# Items of the non-market departments (ours, written for the demo; the market-supervision items are
# the real Zhejiang list from reference/data).
OTHER_ITEMS = [
    (
        "XFJY",
        "XF01",
        "消防安全重点单位消防安全检查",
        "重点",
        "0.3",
        "",
        "消防安全管理制度；消防设施器材；疏散通道、安全出口",
        "1",
        "XFZD",
        "消防监督员",
    ),
    (
        "XFJY",
        "XF02",
        "公众聚集场所投入使用营业前消防安全检查",
        "重点",
        "0.2",
        "",
        "消防设施；疏散指示；员工培训",
        "1",
        "",
        "消防监督员",
    ),
    (
        "YJGL",
        "YJ01",
        "危险化学品企业安全生产检查",
        "重点",
        "0.3",
        "",
        "安全生产许可；重大危险源管理；应急预案",
        "1",
        "WHQY",
        "安全生产监管",
    ),
    (
        "YJGL",
        "YJ02",
        "工贸企业安全生产检查",
        "一般",
        "0.03",
        "0.05",
        "安全生产责任制；隐患排查治理",
        "1,2",
        "",
        "",
    ),
    (
        "STHJ",
        "HJ01",
        "排污许可证执行情况检查",
        "重点",
        "0.2",
        "",
        "排污许可证；自行监测；台账记录",
        "1,4",
        "ZDPW",
        "环境执法",
    ),
    (
        "STHJ",
        "HJ02",
        "建设项目环境影响评价制度执行情况检查",
        "一般",
        "0.03",
        "0.05",
        "环评审批；三同时",
        "1,2",
        "",
        "",
    ),
    (
        "WSJK",
        "WS01",
        "公共场所卫生监督检查",
        "一般",
        "0.05",
        "0.1",
        "卫生许可证；从业人员健康证明；卫生管理制度",
        "1",
        "GGCS",
        "卫生监督员",
    ),
    (
        "WSJK",
        "WS02",
        "医疗机构依法执业检查",
        "重点",
        "0.2",
        "",
        "执业许可；人员资质；医疗废物处置",
        "1,2",
        "",
        "卫生监督员",
    ),
    (
        "RLZY",
        "RL01",
        "用人单位遵守劳动保障法律法规情况检查",
        "一般",
        "0.03",
        "0.05",
        "劳动合同；工资支付；社会保险",
        "1,2",
        "",
        "",
    ),
    ("SWJ", "SW01", "发票使用情况检查", "一般", "0.02", "0.03", "发票领用；开具；保管", "2,5", "", ""),
    ("ZHZF", "ZF01", "户外广告设施设置检查", "一般", "0.03", "0.05", "设置审批；安全状况", "1", "", ""),
    (
        "ZHZF",
        "ZF02",
        "建筑施工扬尘污染防治检查",
        "一般",
        "0.05",
        "0.1",
        "围挡；洒水降尘；渣土覆盖",
        "1",
        "",
        "",
    ),
]
QUALIFICATIONS = {
    "SCJG": ["特种设备安全监察员", "食品安全检查员", "药品检查员", "计量检定员", "产品质量监督"],
    "XFJY": ["消防监督员"],
    "YJGL": ["安全生产监管"],
    "STHJ": ["环境执法"],
    "WSJK": ["卫生监督员"],
}
LIBRARIES_BY_CODE = [(code, name) for code, name, _ in LIBRARIES]
