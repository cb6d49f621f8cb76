"""Printed documents: orientation sheets (a place, a search), booklets (a commune, a communauté
de communes) and a communauté de communes' report, each as a page made for printing and as PDF.

Each document is bounded before it is made: a sheet prints SHEET_PLACES places at most, a booklet
or a report BOOKLET_PLACES, and a request for more (a search with no criterion: the whole
directory) is refused with a page saying why (400), as is a querystring no form sends.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from places import extensions
from places.freshness import public_page
from places.models import Place
from places.views.listing import SEARCH_PARAMS, query_string, search_places
from places.views.pages import NEARBY_KM, epci_communes
from territory.models import Commune, Epci, population_year

from . import documents
from .pdf import pdf_response
from .qr import qr_svg
from .svgmap import area_map

SHEET_PLACES = 12
BOOKLET_PLACES = 40
# Longer querystrings are no search a form sends.
MAX_QUERY_LENGTH = 1000


def document(request, template, context, filename, pdf):
    """The document as a page to print, or as PDF."""
    context = {**context, "now": timezone.now(), "in_document": True}
    if pdf:
        return pdf_response(request, template, context, filename)
    return render(request, template, context)


def refuse(request, reason, form=None):
    """A request no document is made for: a page saying why (and each error of the search's
    form), and what to do instead."""
    errors = (
        [
            (form[name].label if name in form.fields else "", messages)
            for name, messages in form.errors.items()
        ]
        if form
        else []
    )
    context = {"reason": reason, "errors": errors}
    return render(request, "printing/refused.html", context, status=400)


@public_page()
def place_sheet(request, slug, pdf=False):
    """A place's orientation sheet: what it offers, its hours, how to get there, a QR code."""
    place = get_object_or_404(documents.with_sheet_data(Place.objects.published()), slug=slug)
    context = {
        "entries": documents.entries([place], timezone.now()),
        "title": place.name,
        "qr": qr_svg(place.get_absolute_url(), place.name),
        "page_url": place.get_absolute_url(),
        "pdf_url": reverse("printing:place-sheet-pdf", args=[slug]),
    }
    return document(request, "printing/sheet.html", context, f"{place.slug}.pdf", pdf)


@public_page(SEARCH_PARAMS)
def search_sheet(request, pdf=False):
    """The orientation sheet of a search of the directory: its first SHEET_PLACES places."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return refuse(request, _("Cette recherche est trop longue pour une fiche."))
    places, valid, matching = search_places(request)
    if not valid:
        return refuse(request, _("Cette recherche n'est pas valable :"), places.form)
    told = documents.summary(places)
    if not told:
        return refuse(
            request,
            _(
                "Une fiche d'orientation est faite pour une recherche : choisissez au moins un "
                "critère dans l'annuaire. Les livrets des communes et des communautés de communes "
                "présentent tous leurs lieux."
            ),
        )
    query = query_string(request, drop={"page"})
    search = reverse("places:home") + query
    chosen = documents.with_sheet_data(matching)[:SHEET_PLACES]
    context = {
        "entries": documents.entries(chosen, timezone.now()),
        "count": matching.count(),
        "told": told,
        "title": _("Lieux pour votre recherche"),
        "qr": qr_svg(search, _("La recherche dans l'annuaire")),
        "page_url": search,
        "pdf_url": reverse("printing:search-sheet-pdf") + query,
    }
    return document(request, "printing/sheet.html", context, "solozere-recherche.pdf", pdf)


@public_page()
def commune_booklet(request, insee, pdf=False):
    """A commune's booklet: its places and those within NEARBY_KM of its town hall, on a map."""
    commune = get_object_or_404(Commune.objects.select_related("epci"), insee=insee)
    here = list(documents.with_sheet_data(Place.objects.active().in_commune(commune)))
    nearby = []
    if commune.townhall_latitude is not None:
        around = Place.objects.active().exclude(pk__in=[place.pk for place in here])
        around = around.near(commune.townhall_latitude, commune.townhall_longitude, NEARBY_KM)
        nearby = list(documents.with_sheet_data(around)[: max(BOOKLET_PLACES - len(here), 0)])
    entries = documents.entries([*here, *nearby][:BOOKLET_PLACES], timezone.now())
    context = {
        "title": commune.name,
        "area": commune,
        "entries": entries,
        "here_count": len(here),
        "nearby_km": NEARBY_KM,
        "map": area_map(
            _("Carte des lieux de %(name)s et des environs") % {"name": commune.name},
            [commune.insee],
            documents.dots(entries),
            documents.labels([commune]),
        ),
        "qr": qr_svg(reverse("places:commune", args=[insee]), commune.name),
        "page_url": reverse("places:commune", args=[insee]),
        "pdf_url": reverse("printing:commune-booklet-pdf", args=[insee]),
    }
    return document(request, "printing/booklet.html", context, f"livret-{insee}.pdf", pdf)


def _epci_context(epci, now):
    """A communauté de communes' places (open, then in project), numbered on its map."""
    places = Place.objects.active().in_epci(epci).order_by("status", "name")
    chosen = documents.with_sheet_data(places)[:BOOKLET_PLACES]
    entries = documents.entries(chosen, now)
    communes = list(epci.communes.only("insee", "name", "townhall_latitude", "townhall_longitude"))
    return {
        "title": epci.name,
        "area": epci,
        "epci": epci,
        "entries": entries,
        "count": places.count(),
        "map": area_map(
            _("Carte des lieux de %(name)s") % {"name": epci.name},
            [commune.insee for commune in communes],
            documents.dots(entries),
            documents.labels(communes),
        ),
        "qr": qr_svg(reverse("places:epci", args=[epci.siren]), epci.name),
        "page_url": reverse("places:epci", args=[epci.siren]),
    }


@public_page()
def epci_booklet(request, siren, pdf=False):
    """A communauté de communes' booklet: its places on its map, each with its sheet's facts."""
    epci = get_object_or_404(Epci, siren=siren)
    context = {
        **_epci_context(epci, timezone.now()),
        "pdf_url": reverse("printing:epci-booklet-pdf", args=[siren]),
    }
    return document(request, "printing/booklet.html", context, f"livret-{siren}.pdf", pdf)


@public_page()
def epci_report(request, siren, pdf=False):
    """A communauté de communes' page as one report for its officials: its communes, its
    places open and in project, and what other apps add to its page (coverage per service, its
    places' coming events)."""
    epci = get_object_or_404(Epci, siren=siren)
    communes = epci_communes(epci)
    context = {
        **_epci_context(epci, timezone.now()),
        "communes": communes,
        "population": sum(commune.population or 0 for commune in communes),
        "population_year": population_year(communes),
        "sections": extensions.epci_page.render(epci=epci),
        "pdf_url": reverse("printing:epci-report-pdf", args=[siren]),
    }
    return document(request, "printing/report.html", context, f"rapport-{siren}.pdf", pdf)


def area_links(commune=None, epci=None):
    """A commune's or a communauté de communes' page section: its printed documents."""
    return {"commune": commune, "epci": epci}
