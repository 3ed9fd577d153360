from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.search, name="search"),
    path("<str:code>/", views.matter_detail, name="detail"),
    path("<str:code>/qr.svg", views.matter_qr, name="qr"),
    path("<str:code>/poster/", views.matter_poster, name="poster"),
    path("<str:code>/checklist/", views.matter_checklist, name="checklist"),
    path("<str:code>/checklist/print/", views.matter_checklist_print, name="checklist_print"),
    path("<str:code>/materials/<str:material>/<str:kind>/", views.material_file, name="material_file"),
]
