"""工商数据: the registered facts of an enterprise, from a pluggable provider.

The shipped provider reads the registry table that staff load from CSV/XLSX in the admin;
a provider that calls a government data-exchange API is one more class with `lookup`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

from enterprise_business.models import RegistryRecord
from portal.core.identifiers import normalize_credit_code
from portal.core.imports import Column, TableImport, parse_date, parse_decimal


@dataclass(frozen=True)
class RegistryFacts:
    name: str
    legal_representative: str
    registered_capital: Decimal
    established_on: date
    address: str
    company_type: str
    business_scope: str
    registration_status: str

    def as_form_values(self) -> dict:
        return {
            "name": self.name, "legal_representative": self.legal_representative,
            "registered_capital": f"{self.registered_capital:.2f}", "established_on": self.established_on.isoformat(),
            "address": self.address, "company_type": self.company_type, "business_scope": self.business_scope,
            "registration_status": self.registration_status,
        }


class TableRegistryProvider:
    def lookup(self, credit_code: str) -> RegistryFacts | None:
        record = RegistryRecord.objects.filter(credit_code=credit_code).first()
        if record is None:
            return None
        return RegistryFacts(
            name=record.name, legal_representative=record.legal_representative,
            registered_capital=record.registered_capital, established_on=record.established_on,
            address=record.address, company_type=record.company_type, business_scope=record.business_scope,
            registration_status=record.registration_status,
        )


def lookup(credit_code: str) -> RegistryFacts | None:
    return import_string(settings.REGISTRY_PROVIDER)().lookup(credit_code)



class RegistryImport(TableImport):
    """The registry file staff load: one row per enterprise, keyed by credit code."""

    model = RegistryRecord
    key = ("credit_code",)
    columns = (
        Column("credit_code", "统一社会信用代码", normalize_credit_code),
        Column("name", "企业名称"),
        Column("legal_representative", "法定代表人"),
        Column("registered_capital", "注册资本（万元）", parse_decimal),
        Column("established_on", "成立日期", parse_date),
        Column("address", "注册地址"),
        Column("company_type", "企业类型"),
        Column("business_scope", "经营范围"),
        Column("registration_status", "登记状态"),
    )
