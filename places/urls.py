from django.urls import path

from .views import listing, mapdata, offline, pages

app_name = "places"

urlpatterns = [
    path("", listing.directory, name="home"),
    path("lieux/<slug:slug>/", pages.place_detail, name="detail"),
    path("pictogrammes/", pages.legend, name="legend"),
    path("reseaux/", pages.network_list, name="networks"),
    path("reseaux/<slug:code>/", pages.network_detail, name="network"),
    path("communes/suggestions.json", listing.commune_suggestions, name="commune-suggestions"),
    path("communes/<str:insee>/", pages.commune_detail, name="commune"),
    path("intercommunalites/<str:siren>/", pages.epci_detail, name="epci"),
    path("a-propos/", pages.about, name="about"),
    path("embed/", listing.embed, name="embed"),
    path("carte/lieux.geojson", mapdata.places_geojson, name="geojson"),
    path("hors-ligne/", offline.offline_page, name="offline"),
    path("hors-ligne/lieux.json", offline.offline_places, name="offline-places"),
]
