"""The scaled runtime's settings with the broker's visibility timeout shortened, so that the
task of a killed worker comes back in seconds rather than in an hour."""

from qualityfund.settings import *
from qualityfund.settings import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "visibility_timeout": 15,
                                   "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
