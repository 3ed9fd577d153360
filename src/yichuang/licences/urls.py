from django.urls import path

from . import views

app_name = "licences"

urlpatterns = [
    path("", views.library, name="library"),
    path("verify/", views.verify, name="verify"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/pdf", views.licence_pdf, name="pdf"),
    path("<str:number>/<str:action>/", views.act, name="act"),
]
