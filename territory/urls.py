from django.urls import path

from . import views

app_name = "territory"

urlpatterns = [
    path("carte/communes.json", views.commune_labels, name="labels"),
    path("carte/communes/<str:insee>.geojson", views.commune_outline, name="outline"),
    path("carte/intercommunalites/<str:siren>.geojson", views.epci_outline, name="epci-outline"),
]
