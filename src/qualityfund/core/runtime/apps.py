from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    name = "qualityfund.core.runtime"
    label = "runtime"
    verbose_name = "后台任务"
