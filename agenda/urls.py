from django.urls import path

from . import api, feeds, opendata, views

app_name = "agenda"

urlpatterns = [
    path("agenda/", views.agenda, name="list"),
    path("agenda.ics", views.agenda_ics, name="ics"),
    path("agenda/nouveautes.xml", feeds.NewEvents(), name="feed"),
    path("agenda/carte.geojson", views.events_geojson, name="geojson"),
    path("agenda/<slug:slug>/", views.event_detail, name="event"),
    path("agenda/<slug:slug>/inscription/", views.register, name="register"),
    path(
        "agenda/inscription/annuler/<str:token>/",
        views.cancel_registration,
        name="cancel-registration",
    ),
    path("agenda/<slug:slug>/evenement.ics", views.event_ics, name="event-ics"),
    path("lieux/<slug:slug>/agenda.ics", views.place_ics, name="place-ics"),
    path("lieux/<slug:slug>/proposer-un-evenement/", views.propose, name="propose"),
    path("reseaux/<slug:code>/agenda.ics", views.network_ics, name="network-ics"),
    path("intercommunalites/<str:siren>/agenda.ics", views.epci_ics, name="epci-ics"),
    path("donnees/evenements.csv", opendata.events_csv, name="csv"),
    path("donnees/evenements.json", opendata.events_json, name="json"),
    path("api/evenements/", api.EventList.as_view(), name="api-list"),
    path("api/evenements/<str:key>/", api.EventDetail.as_view(), name="api-detail"),
]
