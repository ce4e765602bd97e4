from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "qualityfund.core.common"
    label = "common"
    verbose_name = "通用"
