"""What other apps' templates may show of an enterprise's scores."""

from django import template

register = template.Library()


@register.simple_tag
def latest_published_result(enterprise):
    """The enterprise's result in the newest visible run (公示中 or 已发布), with its run and
    batch, or None: the 积分结果查询 step of /enterprise/. Two queries."""
    from scoring_engine.results import published_results

    published = published_results(enterprise)
    return published[0] if published else None
