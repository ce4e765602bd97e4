from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qualityfund.core.accounts"
    label = "accounts"
    verbose_name = "账户与申报单位"
