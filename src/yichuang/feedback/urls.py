"""Feedback pages, mounted under /supervision/ beside the supervision desk (the addresses they always had):
rectifications, 办不成事 / hotline tickets and the applicant's rating pages."""
from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<str:number>/", views.complaint, name="complaint"),
    path("rate/case/<str:number>/", views.rate_case, name="rate_case"),
    path("rate/ticket/<int:ticket_id>/", views.rate_ticket, name="rate_ticket"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/", views.appeal, name="appeal"),
    path("disclosure/", views.disclosure, name="disclosure"),
]
