from django.apps import AppConfig

from portal.core.roles import CONTENT_EDITOR


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "门户首页"
    role_permissions = {CONTENT_EDITOR: ["home.change_portalsettings"]}
    demo_builders = {10: "home.demo.build.build"}

    def ready(self):
        from . import cache
        from .models import PortalSettings

        cache.connect_invalidation_signals(PortalSettings)
