from django import template

from portal.core import workdays

register = template.Library()


@register.filter
def review_due(submitted_at):
    """{{ submitted_at|review_due|date:"n月j日" }}: the day its review is due (portal.core.workdays)."""
    return workdays.review_due(submitted_at) if submitted_at else None


@register.filter
def review_age(submitted_at):
    """{{ submitted_at|review_age }}: working days waited so far (portal.core.workdays)."""
    return workdays.review_age(submitted_at) if submitted_at else None
