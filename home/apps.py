from django.apps import AppConfig

from portal.core.roles import CONTENT_EDITOR


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "门户首页"
    role_permissions = {CONTENT_EDITOR: ["home.change_portalsettings"]}

    def ready(self):
        from . import cache

        cache.connect_invalidation_signals()
