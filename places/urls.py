from django.urls import path

from .views import contributions, coverage, listing, mapdata, opendata, pages

app_name = "places"

urlpatterns = [
    path("", listing.directory, name="home"),
    path("lieux/<slug:slug>/", pages.place_detail, name="detail"),
    path("lieux/<slug:slug>/signaler/", contributions.report, name="report"),
    path("suggerer-un-lieu/", contributions.suggest, name="suggest"),
    path("pictogrammes/", pages.legend, name="legend"),
    path("reseaux/", pages.network_list, name="networks"),
    path("reseaux/<slug:code>/", pages.network_detail, name="network"),
    path("communes/<str:insee>/", pages.commune_detail, name="commune"),
    path("intercommunalites/<str:siren>/", pages.epci_detail, name="epci"),
    path("a-propos/", pages.about, name="about"),
    path("donnees/", opendata.data_page, name="open-data"),
    path("donnees/lieux.csv", opendata.places_csv, name="open-data-csv"),
    path("donnees/lieux.geojson", opendata.places_geojson, name="open-data-geojson"),
    path(
        "donnees/lieux-de-mediation-numerique.csv",
        opendata.mednum_csv,
        name="open-data-mednum",
    ),
    path("donnees/catalogue.jsonld", opendata.catalogue, name="open-data-catalogue"),
    path("api/lieux/", opendata.api_list, name="api-list"),
    path("api/lieux/<slug:slug>/", opendata.api_detail, name="api-detail"),
    path("api/openapi.json", opendata.openapi, name="api-openapi"),
    path("embed/", listing.embed, name="embed"),
    path("couverture/", coverage.coverage_page, name="coverage"),
    path("couverture/communes.geojson", coverage.coverage_geojson, name="coverage-geojson"),
    path("couverture/communes.csv", coverage.coverage_csv, name="coverage-csv"),
    path("communes/suggestions.json", listing.commune_suggestions, name="commune-suggestions"),
    path("carte/lieux.geojson", mapdata.places_geojson, name="geojson"),
    path("carte/communes/<str:insee>.geojson", mapdata.commune_outline, name="commune-outline"),
]
