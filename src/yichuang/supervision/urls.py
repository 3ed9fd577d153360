"""Supervision pages (/supervision/); feedback's pages (rectifications, tickets, ratings) share the prefix."""
from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("inbox/", views.inbox, name="inbox"),
    path("door/", views.door, name="door"),
    path("door/<int:pk>/done/", views.door_done, name="door_done"),
    path("kpi/", views.kpi, name="kpi"),
]
