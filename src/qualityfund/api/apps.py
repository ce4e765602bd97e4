from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qualityfund.api"
    label = "api"
    verbose_name = "API"
