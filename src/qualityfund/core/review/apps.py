from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "qualityfund.core.review"
    label = "review"
    verbose_name = "形式审查与复审"
