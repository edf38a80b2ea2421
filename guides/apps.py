from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "操作说明"
    demo_builders = {23: "guides.demo.build"}
