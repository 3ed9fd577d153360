"""Bundle pages."""
from django.urls import path

from yichuang.bundles import views

app_name = "bundles"

urlpatterns = [
    path("", views.bundle_list, name="list"),
    path("progress/", views.progress, name="progress"),
    path("cases/<str:number>/", views.case, name="case"),
    path("cases/<str:number>/action/", views.action, name="action"),
    path("<str:code>/apply/", views.apply, name="apply"),
]
