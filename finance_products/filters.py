from django import forms

from portal.core.forms import DescribedBoundField

from .models.lending import PRODUCT_TYPES, SORTS, Bank

SORT_CHOICES = [("rate", "利率从低到高"), ("amount", "额度从高到低"), ("newest", "最新发布")]


class ProductFilterForm(forms.Form):
    """The market's filters. Anything unreadable is ignored rather than refused: a filter
    form should never stand between a visitor and the products."""

    bound_field_class = DescribedBoundField

    bank = forms.ModelChoiceField(label="银行", queryset=Bank.objects.all(), required=False, empty_label="全部银行")
    product_type = forms.ChoiceField(label="产品类型", choices=[("", "全部类型"), *PRODUCT_TYPES], required=False)
    amount = forms.DecimalField(label="需求额度（万元）", min_value=0, max_digits=10, decimal_places=2, required=False)
    rate = forms.DecimalField(
        label="可接受最高年利率（%）", min_value=0, max_digits=5, decimal_places=2, required=False
    )
    sort = forms.ChoiceField(label="排序", choices=SORT_CHOICES, required=False)

    def apply(self, products):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("bank"):
            products = products.filter(bank=data["bank"])
        if data.get("product_type"):
            products = products.filter(product_type=data["product_type"])
        if data.get("amount") is not None:
            products = products.filter(min_amount__lte=data["amount"], max_amount__gte=data["amount"])
        if data.get("rate") is not None:
            products = products.filter(min_rate__lte=data["rate"])
        return products.order_by(*SORTS[data.get("sort") or "rate"], "pk")
