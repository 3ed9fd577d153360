"""Case pages."""
from django.urls import path

from yichuang.cases import views

app_name = "cases"

urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("inbox/", views.inbox, name="inbox"),
]
