"""What goes out as open data: one record per place, shared by the CSV, the GeoJSON and the API."""

import hashlib

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from .cache import changed_at, data_version
from .models import Place

LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE_NAME = "Licence Ouverte / Open Licence 2.0"

# CSV columns: (header, meaning shown on the « Données ouvertes » page, record key).
COLUMNS = [
    ("identifiant", _("Identifiant stable du lieu (celui de son adresse web)"), "id"),
    ("nom", _("Nom du lieu"), "name"),
    ("statut", _("en projet, ouvert ou fermé (project, open, closed)"), "status"),
    ("types", _("Types de lieu, codes séparés par « | »"), "types"),
    ("familles", _("Familles de fonctions, codes séparés par « | »"), "families"),
    (
        "services",
        _("Services proposés, codes séparés par « | » (voir les pictogrammes)"),
        "services",
    ),
    ("publics", _("Publics accueillis, codes séparés par « | »"), "audiences"),
    ("reseaux", _("Réseaux dont le lieu est membre, codes séparés par « | »"), "networks"),
    ("description_courte", _("Présentation en une phrase"), "short_description"),
    ("adresse", _("Adresse"), "address"),
    ("commune", _("Commune"), "commune"),
    ("code_insee", _("Code INSEE de la commune"), "insee"),
    ("code_postal", _("Code postal"), "postcode"),
    ("latitude", _("Latitude (WGS 84)"), "latitude"),
    ("longitude", _("Longitude (WGS 84)"), "longitude"),
    ("precision", _("exact, ou commune (position de la mairie)"), "precision"),
    ("itinerant", _("oui pour un lieu mobile"), "itinerant"),
    ("horaires", _("Horaires, syntaxe opening_hours d'OpenStreetMap"), "opening_hours"),
    ("precisions_horaires", _("Saisons, fermetures…"), "opening_hours_note"),
    ("telephone", _("Téléphone"), "phone"),
    ("courriel", _("Courriel"), "email"),
    ("site_web", _("Site web"), "website"),
    ("accessibilite_pmr", _("yes, partial, no ou unknown"), "accessibility"),
    ("structure", _("Structure porteuse"), "structure_name"),
    ("siret_rna", _("SIRET ou RNA de la structure porteuse"), "legal_identifier"),
    ("derniere_verification", _("Date de la dernière vérification (AAAA-MM-JJ)"), "verified_on"),
    ("url", _("Page du lieu sur Solozère"), "url"),
]


def with_export_data(queryset):
    return queryset.select_related("commune").prefetch_related(
        "types", "families", "services", "audiences", "memberships__network"
    )


def record(place, request):
    """Every public fact about a place, as plain values."""
    codes = lambda items: [item.code for item in items]  # noqa: E731
    commune = place.commune
    return {
        "id": place.slug,
        "name": place.name,
        "status": place.status,
        "types": codes(place.types.all()),
        "families": codes(place.families.all()),
        "services": codes(place.services.all()),
        "audiences": codes(place.audiences.all()),
        "networks": sorted({m.network.code for m in place.memberships.all() if m.is_current}),
        "short_description": place.short_description,
        "address": place.address,
        "commune": commune.name if commune else "",
        "insee": commune.insee if commune else "",
        "postcode": commune.postcode_list[0] if commune and commune.postcode_list else "",
        "latitude": place.latitude,
        "longitude": place.longitude,
        "precision": place.location_precision,
        "itinerant": place.itinerant,
        "opening_hours": place.opening_hours,
        "opening_hours_note": place.opening_hours_note,
        "phone": place.phone,
        "email": place.email,
        "website": place.website,
        "accessibility": place.accessibility,
        "structure_name": place.structure_name,
        "legal_identifier": place.legal_identifier,
        "verified_on": place.verified_on.isoformat() if place.verified_on else None,
        "url": request.build_absolute_uri(place.get_absolute_url()),
    }


def csv_row(data):
    def cell(value):
        if isinstance(value, list):
            return "|".join(value)
        if isinstance(value, bool):
            return "oui" if value else "non"
        return "" if value is None else value

    return [cell(data[key]) for _header, _meaning, key in COLUMNS]


# Conditional GET: exports answer 304 while the directory has not changed.


def last_modified(request, *args, **kwargs):
    return changed_at(lambda: Place.objects.aggregate(latest=Max("updated_at"))["latest"])


def etag(request, *args, **kwargs):
    """Same data, same parameters, same language: same ETag."""
    key = f"{data_version()}|{request.path}|{request.GET.urlencode()}|{request.LANGUAGE_CODE}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]
