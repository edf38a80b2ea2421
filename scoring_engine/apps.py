from django.apps import AppConfig

from portal.core.roles import SCORING_ADMIN


class ScoringEngineConfig(AppConfig):
    name = "scoring_engine"
    verbose_name = "积分计算"
    # run_calculation also publishes runs and answers objections (publication.py).
    role_permissions = {
        SCORING_ADMIN: [f"scoring_engine.{codename}" for codename in (
            "view_scheme", "add_scheme", "change_scheme", "delete_scheme", "view_calculationrun", "run_calculation",
            "view_enterpriseresult")],
    }
    demo_builders = {50: "scoring_engine.demo.build"}
