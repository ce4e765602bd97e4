from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "qualityfund.core.applications"
    label = "applications"
    verbose_name = "资助申请"
