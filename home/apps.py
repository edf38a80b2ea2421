from django.apps import AppConfig

from portal.core.roles import CONTENT_EDITOR


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "门户首页"
    role_permissions = {CONTENT_EDITOR: ["home.change_portalsettings"]}
    demo_builders = {10: "home.demo.build.build"}

    def ready(self):
        from wagtail.models import Site

        from . import cache
        from .models import PortalSettings

        # Sites too: home.sites keeps each request's site and settings under the generation.
        cache.connect_invalidation_signals(PortalSettings, Site)
