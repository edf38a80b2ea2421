from django.apps import AppConfig


class ScoringEngineConfig(AppConfig):
    name = "scoring_engine"
    verbose_name = "积分计算"
