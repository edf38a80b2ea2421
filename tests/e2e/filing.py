"""Filling the 2025 基本数据填报 form in the browser by its labels, as an enterprise clerk does."""

PROOF_LABELS = ("资产负债表", "2025年所得税纳税申报表或审计报告", "2024年所得税纳税申报表或审计报告",
                "2025年12月社保人数证明文件", "2024年12月社保人数证明文件", "企业人员证明文件")
AMOUNTS = {"2025年初所有者权益": "800", "2025年末所有者权益": "960.50", "2025年研发费用": "150",
           "2024年研发费用": "120", "2025年营业收入": "2100", "2024年营业收入": "1800",
           "2025年企业实际上缴税费总额": "130", "2024年企业实际上缴税费总额": "110",
           "企业2025年研发费用加计扣除所得税减免额": "22"}
COUNTS = {"2025年12月社保人数": "45", "2024年12月社保人数": "40", "大学本科学历人数": "20",
          "研究生学历人数": "6", "期末人员总数": "50", "企业当年吸纳高校应届毕业生人数": "3", "研发人员数": "15"}


def fill_points_form(page, proof, phone="13940111111", **overrides):
    """Every field, each proof upload, and 核实无误; `overrides` maps a label to its value."""
    page.get_by_label("填报联系人").fill("王工")
    page.get_by_label("填报人手机号").fill(phone)
    for label, value in {**AMOUNTS, **COUNTS, **overrides}.items():
        page.get_by_label(label, exact=True).fill(value)
    for label in PROOF_LABELS:
        page.get_by_label(label, exact=True).set_input_files(str(proof))
    page.get_by_label("核实无误", exact=False).check()
