from django.urls import path

from . import views

app_name = "printing"
PDF = {"pdf": True}

urlpatterns = [
    path("lieux/<slug:slug>/fiche/", views.place_sheet, name="place-sheet"),
    path("lieux/<slug:slug>/fiche.pdf", views.place_sheet, PDF, name="place-sheet-pdf"),
    path("fiche/", views.search_sheet, name="search-sheet"),
    path("fiche.pdf", views.search_sheet, PDF, name="search-sheet-pdf"),
    path("communes/<str:insee>/livret/", views.commune_booklet, name="commune-booklet"),
    path("communes/<str:insee>/livret.pdf", views.commune_booklet, PDF, name="commune-booklet-pdf"),
    path("intercommunalites/<str:siren>/livret/", views.epci_booklet, name="epci-booklet"),
    path(
        "intercommunalites/<str:siren>/livret.pdf",
        views.epci_booklet,
        PDF,
        name="epci-booklet-pdf",
    ),
    path("intercommunalites/<str:siren>/rapport/", views.epci_report, name="epci-report"),
    path(
        "intercommunalites/<str:siren>/rapport.pdf", views.epci_report, PDF, name="epci-report-pdf"
    ),
]
