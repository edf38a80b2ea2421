from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "门户首页"

    def ready(self):
        from . import cache

        cache.connect_invalidation_signals()
