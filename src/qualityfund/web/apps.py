from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "qualityfund.web"
    label = "web"
    verbose_name = "网页"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_login

        user_logged_in.connect(mark_login, dispatch_uid="qualityfund.web.mark_login")
