from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("qualityfund.api.urls")),
    path("django-admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("qualityfund.web.urls")),
]

# Chinese error pages in the site's frame; JSON {"detail": ...} under /api/.
handler400 = "qualityfund.web.views.errors.bad_request"
handler403 = "qualityfund.web.views.errors.permission_denied"
handler404 = "qualityfund.web.views.errors.page_not_found"
handler500 = "qualityfund.web.views.errors.server_error"
