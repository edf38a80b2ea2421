from django import template

register = template.Library()


@register.simple_tag
def loan_applications(enterprise, limit=5):
    """The enterprise's latest applications, for the 金融产品申请 section of /enterprise/."""
    from finance_products.models import LoanApplication

    return list(LoanApplication.objects.filter(enterprise=enterprise).select_related("bank")[:limit])
