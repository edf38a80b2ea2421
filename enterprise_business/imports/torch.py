"""火炬统计数据: staff load each year's Torch survey figures, keyed by credit code and year."""

from enterprise_business.models import TorchRecord
from portal.core.identifiers import normalize_credit_code
from portal.core.imports import Column, TableImport, parse_decimal, parse_integer


class TorchImport(TableImport):
    model = TorchRecord
    key = ("credit_code", "year")
    columns = (
        Column("credit_code", "统一社会信用代码", normalize_credit_code),
        Column("year", "年度", parse_integer, options={"minimum": 2000, "maximum": 2100}),
        Column("equity_begin", "年初所有者权益（万元）", parse_decimal),
        Column("equity_end", "年末所有者权益（万元）", parse_decimal),
        Column("rd_expense", "研发费用（万元）", parse_decimal),
        Column("revenue", "营业收入（万元）", parse_decimal),
        Column("tax_paid", "实际上缴税费总额（万元）", parse_decimal),
        Column("rd_tax_deduction", "研发费用加计扣除所得税减免额（万元）", parse_decimal),
    )
