"""Case pages."""
from django.urls import path

from yichuang.cases import views

app_name = "cases"

urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("inbox/", views.inbox, name="inbox"),
    path("receive/", views.receive, name="receive"),
    path("apply/", views.apply_pick, name="apply_pick"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("mine/", views.mine, name="mine"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/action/", views.action, name="action"),
    path("<str:number>/pii/", views.pii, name="pii"),
    path("<str:number>/notices/<str:notice_number>/", views.notice, name="notice"),
    path("<str:number>/materials/<str:code>/file", views.material_file, name="material_file"),
]
