"""The project's URLconf plus a page and an API endpoint that fail, to see the 500 answers.

Used with ``@pytest.mark.urls("tests.web.views.crash_urls")``; Django takes the error
handlers from the URLconf in use, so they are the project's own.
"""

from django.urls import path
from rest_framework.views import APIView

from qualityfund.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken_page(request):
    raise RuntimeError("secret detail: postgres://fund:pw@db.internal:5432/fund")


class BrokenEndpoint(APIView):
    authentication_classes = permission_classes = ()

    def get(self, request):
        raise RuntimeError("secret detail: postgres://fund:pw@db.internal:5432/fund")


urlpatterns = [path("broken/", broken_page), path("api/v1/broken/", BrokenEndpoint.as_view()),
               *urlpatterns]
