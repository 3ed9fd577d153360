from django.urls import path

app_name = "workcal"

urlpatterns: list = []
