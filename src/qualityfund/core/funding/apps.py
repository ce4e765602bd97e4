from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "qualityfund.core.funding"
    label = "funding"
    verbose_name = "资助方案与资金拨付"
