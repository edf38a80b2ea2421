from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "通知公告"
    demo_builders = {21: "notices.demo.build"}
