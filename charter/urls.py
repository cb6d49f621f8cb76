from django.urls import path

from . import views

app_name = "charter"

urlpatterns = [
    path("", views.charter_page, name="page"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord.csv", views.dashboard_csv, name="dashboard-csv"),
]
