"""Supervision pages (/supervision/) and rating pages (/ratings/)."""
from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("inbox/", views.inbox, name="inbox"),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<str:number>/", views.complaint, name="complaint"),
    path("door/", views.door, name="door"),
    path("door/<int:pk>/done/", views.door_done, name="door_done"),
    path("kpi/", views.kpi, name="kpi"),
    path("rate/case/<str:number>/", views.rate_case, name="rate_case"),
    path("rate/ticket/<int:ticket_id>/", views.rate_ticket, name="rate_ticket"),
]
