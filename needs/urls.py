from django.urls import path

from . import views

app_name = "needs"

urlpatterns = [
    path("je-cherche/", views.go, name="go"),
    path("besoins/alerte/", views.alert, name="alert"),
    path("besoins/alerte/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("besoins/alerte/supprimer/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("besoins/non-satisfaits/", views.unmet, name="unmet"),
    path("besoins/non-satisfaits.csv", views.unmet_csv, name="unmet-csv"),
]
