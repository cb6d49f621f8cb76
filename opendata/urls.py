from django.urls import path

from . import api, views

app_name = "opendata"

urlpatterns = [
    path("donnees/", views.data_page, name="page"),
    path("donnees/lieux.csv", views.places_csv, name="csv"),
    path("donnees/lieux.schema.json", views.places_csv_schema, name="csv-schema"),
    path("donnees/lieux.geojson", views.places_geojson, name="geojson"),
    path("donnees/lieux-de-mediation-numerique.csv", views.mednum_csv, name="mednum"),
    path(
        "donnees/data-inclusion-structures.json",
        views.datainclusion_structures,
        name="datainclusion-structures",
    ),
    path(
        "donnees/data-inclusion-services.json",
        views.datainclusion_services,
        name="datainclusion-services",
    ),
    path("donnees/catalogue.jsonld", views.catalogue, name="catalogue"),
    path("api/lieux/", api.PlaceList.as_view(), name="api-list"),
    path("api/lieux/<slug:slug>/", api.PlaceDetail.as_view(), name="api-detail"),
    path("api/openapi.json", api.OpenApiDocument.as_view(), name="api-openapi"),
]
