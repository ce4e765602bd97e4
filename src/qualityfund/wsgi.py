"""WSGI entry point, for ``runserver`` and every gunicorn worker.

In the embedded runtime the serving process also runs the background jobs — resuming those
a crash interrupted — and the periodic entries. Starting them here, once the application is
loaded, keeps them out of ``migrate``, the other commands and the tests, and puts them in
each gunicorn worker after it is forked (run gunicorn without ``--preload``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityfund.settings")
application = get_wsgi_application()

from qualityfund.core.runtime import worker  # after the application is loaded

worker.start()
