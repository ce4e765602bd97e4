"""The embedded runtime's settings with its clocks shortened, for the servers that the
crash and scheduler tests start: leases run out in two seconds, the periodic entries come
round every second."""

from qualityfund.settings import *
from qualityfund.settings import CELERY_BEAT_SCHEDULE

TASKS_MODE = "thread"
TASKS_LEASE_SECONDS = 2
TASKS_POLL_SECONDS = 0.2
TASKS_RETRY_SECONDS = 1
CELERY_BEAT_SCHEDULE = {name: {**entry, "schedule": 1.0}
                        for name, entry in CELERY_BEAT_SCHEDULE.items()}
