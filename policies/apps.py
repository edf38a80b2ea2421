from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "政策文件"
    demo_builders = {22: "policies.demo.build"}
