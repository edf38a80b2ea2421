from django import template

register = template.Library()


@register.simple_tag
def loan_applications(enterprise, limit=5):
    """The enterprise's latest applications, for the 金融产品申请 section of /enterprise/."""
    from finance_products.selectors import applications_of

    return applications_of(enterprise, limit)
