"""金融超市: the records (banks, applications) below the pages that show them, so that the
services and views the pages route to import the records and never the pages."""

from .lending import (
    GUARANTEES,
    PRODUCT_TYPES,
    SORTS,
    STAGES,
    TIERS,
    ApplicationEvent,
    Bank,
    LoanApplication,
)
from .pages import BankSectionPage, FinanceIndexPage, FinanceProductPage, PersonalisedPageMixin

__all__ = [
    "GUARANTEES", "PRODUCT_TYPES", "SORTS", "STAGES", "TIERS", "ApplicationEvent", "Bank", "BankSectionPage",
    "FinanceIndexPage", "FinanceProductPage", "LoanApplication", "PersonalisedPageMixin",
]
