"""The Celery application of the scaled runtime (``REDIS_URL`` set)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityfund.settings")
app = Celery("qualityfund")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
