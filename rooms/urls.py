from django.urls import path

from . import views

app_name = "rooms"

urlpatterns = [
    path("salles/", views.search, name="search"),
    path("salles/carte.geojson", views.rooms_geojson, name="geojson"),
    path("salles/<int:pk>/demander/", views.ask, name="ask"),
    path("salles/<int:pk>/occupation.ics", views.room_ics, name="room-ics"),
    path("salles/demande/annuler/<str:token>/", views.cancel, name="cancel"),
    path("salles/demande/repondre/<str:token>/", views.answer, name="answer"),
    path("salles/agenda-prive/<str:token>/salles.ics", views.private_ics, name="private-ics"),
    path("lieux/<slug:slug>/salles.ics", views.place_ics, name="place-ics"),
    path("salles/reseau/", views.network_view, name="network"),
    path("salles/reseau.csv", views.network_csv, name="network-csv"),
]
