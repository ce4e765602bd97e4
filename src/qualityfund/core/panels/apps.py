from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "qualityfund.core.panels"
    label = "panels"
    verbose_name = "专家评审"
