"""数据导入 in the Wagtail admin: the tables staff load from spreadsheets (工商登记数据, 火炬统计数据),
each a list with its import page (`portal.core.admin.ImportViewSet`)."""

from portal.core.admin import ImportIndexView, ImportViewSet

from .models import RegistryRecord, TorchRecord
from .registry import RegistryImport
from .torch import TorchImport


class RegistryViewSet(ImportViewSet):
    model = RegistryRecord
    importer = RegistryImport
    import_title = "导入工商登记数据"
    index_view_class = ImportIndexView
    icon = "table"
    menu_label = "工商登记数据"
    url_prefix = "registry"
    url_namespace = "registry"
    list_display = ["credit_code", "name", "legal_representative", "registered_capital", "established_on",
                    "registration_status", "updated_at"]
    list_filter = {"registration_status": ["exact"]}
    search_fields = ["credit_code", "name"]


class TorchViewSet(ImportViewSet):
    model = TorchRecord
    importer = TorchImport
    import_title = "导入火炬统计数据"
    index_view_class = ImportIndexView
    icon = "table"
    menu_label = "火炬统计数据"
    url_prefix = "torch"
    url_namespace = "torch"
    list_display = ["credit_code", "year", "revenue", "rd_expense", "tax_paid", "updated_at"]
    list_filter = {"year": ["exact"]}
    search_fields = ["credit_code"]
