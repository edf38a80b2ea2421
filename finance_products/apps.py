from django.apps import AppConfig


class FinanceProductsConfig(AppConfig):
    name = "finance_products"
    verbose_name = "金融超市"
