from django.urls import path

from . import views

app_name = "workcal"

urlpatterns = [
    path("", views.year, name="current"),
    path("<int:year>/", views.year, name="year"),
]
