"""What goes out as open data: one record per place, shared by the CSV, the GeoJSON and the API."""

import hashlib

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .cache import changed_at, data_version
from .models import Commune, Membership, Place

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


# The place's own columns, read as plain values: exports of thousands of places build no model
# instances, and each many-to-many relation costs one query, whatever the number of places.
FIELDS = [
    "pk",
    "slug",
    "name",
    "status",
    "short_description",
    "address",
    "commune__name",
    "commune__insee",
    "commune__postcodes",
    "latitude",
    "longitude",
    "location_precision",
    "itinerant",
    "opening_hours",
    "opening_hours_note",
    "phone",
    "email",
    "website",
    "accessibility",
    "structure_name",
    "legal_identifier",
    "verified_on",
]
RELATIONS = {
    "types": ("placetype", "types"),
    "families": ("family", "families"),
    "services": ("service", "services"),
    "audiences": ("audience", "audiences"),
}
SLUG_MARK = "__slug__"


def _codes(relation, target, place_ids):
    """{place pk: [codes in display order]} for one many-to-many relation."""
    through = getattr(Place, relation).through
    rows = (
        through.objects.filter(place_id__in=place_ids)
        .order_by(f"{target}__position", f"{target}__code")
        .values_list("place_id", f"{target}__code")
    )
    codes = {}
    for place_id, code in rows:
        codes.setdefault(place_id, []).append(code)
    return codes


def records(queryset, request):
    """Every public fact about each place of `queryset`, as plain values, in its order."""
    rows = list(queryset.values_list(*FIELDS))
    if not rows:
        return []
    place_ids = queryset.values("pk")
    related = {
        key: _codes(relation, target, place_ids) for key, (target, relation) in RELATIONS.items()
    }
    networks = {}
    for place_id, code in (
        Membership.objects.filter(place_id__in=place_ids, end_year__isnull=True)
        .order_by("network__code")
        .values_list("place_id", "network__code")
        .distinct()
    ):
        networks.setdefault(place_id, []).append(code)
    url = request.build_absolute_uri(reverse("places:detail", args=[SLUG_MARK]))
    result = []
    for row in rows:
        data = dict(zip(FIELDS, row, strict=True))
        pk = data.pop("pk")
        postcodes = Commune.split_postcodes(data.pop("commune__postcodes"))
        verified = data.pop("verified_on")
        slug = data.pop("slug")
        result.append(
            {
                "id": slug,
                "name": data["name"],
                "status": data["status"],
                **{key: related[key].get(pk, []) for key in RELATIONS},
                "networks": networks.get(pk, []),
                "short_description": data["short_description"],
                "address": data["address"],
                "commune": data["commune__name"] or "",
                "insee": data["commune__insee"] or "",
                "postcode": postcodes[0] if postcodes else "",
                "latitude": data["latitude"],
                "longitude": data["longitude"],
                "precision": data["location_precision"],
                "itinerant": data["itinerant"],
                "opening_hours": data["opening_hours"],
                "opening_hours_note": data["opening_hours_note"],
                "phone": data["phone"],
                "email": data["email"],
                "website": data["website"],
                "accessibility": data["accessibility"],
                "structure_name": data["structure_name"],
                "legal_identifier": data["legal_identifier"],
                "verified_on": verified.isoformat() if verified else None,
                "url": url.replace(SLUG_MARK, slug),
            }
        )
    return result


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
