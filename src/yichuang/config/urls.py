from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (kept for future prefixed pages)
from django.contrib import admin
from django.urls import include, path

from yichuang.core import views as core_views
from yichuang.ops import views as ops_views

from .api import api

admin.site.site_header = "一窗 Yichuang 管理后台"
admin.site.site_title = "一窗 Yichuang"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("metrics", ops_views.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("yichuang.accounts.urls")),
    path("matters/", include("yichuang.catalog.urls")),
    path("calendar/", include("yichuang.workcal.urls")),
    path("cases/", include("yichuang.cases.urls")),
    path("hall/", include("yichuang.hall.urls")),
    path("supervision/", include("yichuang.supervision.urls")),
    path("supervision/", include("yichuang.feedback.urls")),
    path("licences/", include("yichuang.licences.urls")),
    path("documents/", include("yichuang.documents.urls")),
    path("sim/", include("yichuang.sim.urls")),
    path("bundles/", include("yichuang.bundles.urls")),
]

# Page errors in the site frame (the API answers its own errors as JSON: config.api).
handler403 = "yichuang.core.views.page_forbidden"
handler404 = "yichuang.core.views.page_not_found"
handler500 = "yichuang.core.views.server_error"
