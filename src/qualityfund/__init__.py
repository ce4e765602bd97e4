"""质量品牌专项资金平台."""

from .celery import app as celery_app

__all__ = ["celery_app"]
