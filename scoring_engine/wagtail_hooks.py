from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from enterprise_business.models import Batch
from portal.core.exports import xlsx_download

from . import desk
from .admin_trials import TrialViewSet
from .admin_views import ResultPolicy, ResultViewSet, RunPolicy, RunViewSet, SchemeViewSet
from .models import CalculationRun, EnterpriseResult

register_permission_policy(CalculationRun, RunPolicy(CalculationRun))
register_permission_policy(EnterpriseResult, ResultPolicy(EnterpriseResult))


class ScoringGroup(ViewSetGroup):
    """积分计算: schemes, runs, trial runs of draft schemes and results, for scoring admins."""

    menu_label = "积分计算"
    menu_icon = "calculator"
    menu_order = 225
    items = (SchemeViewSet, RunViewSet, TrialViewSet, ResultViewSet)


@hooks.register("register_admin_viewset")
def register_scoring_menu():
    return ScoringGroup()


@hooks.register("register_icons")
def register_calculator_icon(icons):
    """Wagtail 8 has no calculator icon, so 积分计算 and 发起计算 showed none; ours is drawn here."""
    return [*icons, "scoring_engine/icons/calculator.svg"]


# ---- 结果发布 and 积分异议 (scoring_engine.admin_publication) ---------------------------------
from .admin_publication import ObjectionPolicy, ObjectionViewSet, PublicationViewSet  # noqa: E402
from .objection_models import ScoreObjection  # noqa: E402

register_permission_policy(ScoreObjection, ObjectionPolicy(ScoreObjection))


class PublicationGroup(ViewSetGroup):
    """结果发布: compare, 公示, 正式发布 and export of runs, and the objections raised during 公示."""

    menu_label = "结果发布"
    menu_icon = "date"
    menu_order = 226
    items = (PublicationViewSet, ObjectionViewSet)


@hooks.register("register_admin_viewset")
def register_publication_menu():
    return PublicationGroup()


# ---- the programme desk's distributions (scoring_engine.desk), as XLSX --------------------------


def export_distributions(request, batch_id):
    if not request.user.has_perm(desk.RESULTS_PERMISSION):
        raise PermissionDenied
    batch = get_object_or_404(Batch, pk=batch_id)
    return xlsx_download(lambda target: desk.write_workbook(batch, target), desk.filename(batch))


@hooks.register("register_admin_urls")
def register_distributions_export():
    return [path("desk/distributions/<int:batch_id>/export/", export_distributions, name="scoring_desk_export")]
