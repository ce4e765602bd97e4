from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "qualityfund.core.guides"
    label = "guides"
    verbose_name = "申报指南"
