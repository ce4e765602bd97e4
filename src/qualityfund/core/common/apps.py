from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "qualityfund.core.common"
    label = "common"
    verbose_name = "通用"

    def ready(self):
        from . import signals  # noqa: F401  (connects the log-in receivers)
