from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("qualityfund.api.urls")),
    path("django-admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("qualityfund.web.urls")),
]
