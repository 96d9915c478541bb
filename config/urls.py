from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("organizations.urls")),
    path("", include("campaigns.urls")),
    path("", include("targets.urls")),
    path("", include("documents.urls")),
    path("", include("reports.urls")),
    path("", include("initiatives.urls")),
    path("", include("dashboards.urls")),
    path("", include("awards.urls")),
    path("", include("audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
