from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "qualityfund.web"
    label = "web"
    verbose_name = "网页"
