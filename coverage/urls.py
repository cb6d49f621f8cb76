from django.urls import path

from . import views

app_name = "coverage"

urlpatterns = [
    path("couverture/", views.coverage_page, name="page"),
    path("couverture/communes.geojson", views.coverage_geojson, name="geojson"),
    path("couverture/communes.csv", views.coverage_csv, name="csv"),
]
