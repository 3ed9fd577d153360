from django.urls import path

from . import views

app_name = "hall"

urlpatterns = [
    path("kiosk/<str:centre_code>/", views.kiosk, name="kiosk"),
    path("tickets/<int:ticket_id>/", views.ticket_slip, name="ticket"),
    path("console/", views.console, name="console"),
    path("console/action/", views.console_action, name="console_action"),
    path("board/<str:centre_code>/", views.board, name="board"),
    path("board/<str:centre_code>/events", views.board_events, name="board_events"),
    path("stats/", views.stats, name="stats"),
    path("appointments/<str:centre_code>/", views.appointments, name="appointments"),
]
