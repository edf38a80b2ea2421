"""A synthetic registry file (工商登记数据) of Dalian high-tech zone enterprises for the demo:
valid credit codes, plausible names, people, capital, dates, addresses and business scopes.
Deterministic (seeded), so every `make run` loads the same file."""

import csv
import io
import random

from portal.core.identifiers import CREDIT_CODE_CHARS, credit_code_check_char

HEADERS = ["统一社会信用代码", "企业名称", "法定代表人", "注册资本（万元）", "成立日期", "注册地址", "企业类型", "经营范围", "登记状态"]
PREFIXES = ["华信", "东软", "海创", "远景", "星河", "博诚", "金桥", "瑞通", "鼎新", "汇智", "中科", "蓝海", "云图", "凯达",
            "天和", "盛安", "润泽", "新锐", "恒远", "德邦", "启航", "联创", "宏图", "睿博", "正泰", "长兴", "明德", "信达"]
BUSINESSES = [
    ("软件", "软件开发；信息系统集成服务；信息技术咨询服务；数据处理和存储支持服务。"),
    ("信息技术", "网络技术服务；人工智能应用软件开发；计算机系统服务；技术进出口。"),
    ("智能装备", "智能控制系统集成；工业机器人制造；通用设备制造；机械设备研发。"),
    ("生物科技", "生物制品研发；医学研究和试验发展；第一类医疗器械销售；技术服务。"),
    ("新材料", "新材料技术研发；高性能纤维及复合材料销售；合成材料制造。"),
    ("环保科技", "环境保护专用设备制造；大气污染治理；水污染治理；环境监测服务。"),
    ("新能源", "太阳能发电技术服务；储能技术服务；新能源原动设备制造；电池销售。"),
    ("检测技术", "检验检测服务；计量技术服务；标准化服务；技术推广服务。"),
    ("海洋科技", "海洋工程装备研发；海洋环境服务；船舶设计；海洋生物活性物质提取。"),
    ("精密仪器", "仪器仪表制造；光学仪器制造；电子测量仪器销售；技术开发。"),
]
SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司"]
TYPES = {"有限公司": "有限责任公司（自然人投资或控股）", "股份有限公司": "股份有限公司（非上市、自然人投资或控股）"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "文博", "思远", "雨轩", "子涵"]
ROADS = ["黄浦路", "七贤岭学子街", "软件园路", "火炬路", "高能街", "汇贤园", "数码路", "敬贤街", "礼贤街", "旅顺南路"]
STATUSES = ["存续"] * 9 + ["在业"]


def _credit_code(rng) -> str:
    first17 = "912102" + "31" + "MA" + "".join(rng.choice(CREDIT_CODE_CHARS) for _ in range(7))
    return first17 + credit_code_check_char(first17)


def registry_csv(known: list[tuple[str, str, str]], total: int) -> str:
    """`known`: (credit code, name, legal representative) that must be in the file."""
    rng = random.Random(20251126)
    rows, codes, names = [], set(), set()
    for code, name, person in known:
        rows.append(_row(rng, code, name, person, "有限公司"))
        codes.add(code)
        names.add(name)
    while len(rows) < total:
        code = _credit_code(rng)
        business, _ = rng.choice(BUSINESSES)
        suffix = rng.choice(SUFFIXES)
        name = f"大连{rng.choice(PREFIXES)}{rng.choice(PREFIXES)[0]}{business}{suffix}"
        if code in codes or name in names:
            continue
        codes.add(code)
        names.add(name)
        person = rng.choice(SURNAMES) + rng.choice(GIVEN)
        rows.append(_row(rng, code, name, person, suffix))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue()


def _row(rng, code, name, person, suffix):
    scope = next((text for key, text in BUSINESSES if key in name), rng.choice(BUSINESSES)[1])
    capital = rng.choice([50, 100, 200, 300, 500, 800, 1000, 2000, 3000, 5000, 10000]) * rng.choice([1, 1, 1.5, 2])
    year = rng.randint(1998, 2024)
    return [
        code, name, person, f"{capital:.2f}", f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"辽宁省大连市高新技术产业园区{rng.choice(ROADS)}{rng.randint(1, 999)}号", TYPES.get(suffix, TYPES["有限公司"]),
        scope, rng.choice(STATUSES),
    ]
