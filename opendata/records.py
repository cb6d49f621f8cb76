"""What goes out as open data: one record per place, shared by the CSV, the GeoJSON and the API.

lieux.csv's columns are COLUMNS, in order; its published Table Schema (TABLE_SCHEMA_PATH, served at
/donnees/lieux.schema.json) types each of them, and the tests validate the served file against it.
"""

from datetime import UTC
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places import freshness
from places.csvfiles import positional
from places.links import absolute_url
from places.models import Membership, Place, Stop
from territory.models import Commune

LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE_NAME = "Licence Ouverte / Open Licence 2.0"

TABLE_SCHEMA_PATH = Path(__file__).parent / "schemas" / "lieux.schema.json"
TABLE_SCHEMA = TABLE_SCHEMA_PATH.read_bytes()

# lieux.csv's `etapes` cell: the stops in order, separated by STOPS; each one's parts (commune,
# INSEE code, label, latitude,longitude, precision, schedule) separated by PARTS. A « | » typed in
# a text is written « / » there, so that the cell always splits the same way (the GeoJSON and the
# API give the texts as they are).
STOPS = " || "
PARTS = " | "

# CSV columns: (header, meaning shown on the « Données ouvertes » page, record key).
COLUMNS = [
    ("identifiant", _("Identifiant stable du lieu (celui de son adresse web)"), "id"),
    ("nom", _("Nom du lieu"), "name"),
    ("statut", _("en projet, ouvert ou fermé (project, open, closed)"), "status"),
    (
        "a_verifier",
        _(
            "oui quand les informations, reprises de documents, n'ont pas encore été confirmées "
            "par le lieu"
        ),
        "to_verify",
    ),
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
    (
        "code_postal",
        _("Code postal de l'adresse (vide si elle n'en dit rien et que la commune en a plusieurs)"),
        "postcode",
    ),
    ("latitude", _("Latitude (WGS 84)"), "latitude"),
    ("longitude", _("Longitude (WGS 84)"), "longitude"),
    ("precision", _("exact, ou commune (position de la mairie)"), "precision"),
    ("itinerant", _("oui pour un lieu mobile"), "itinerant"),
    (
        "etapes",
        _(
            "Étapes d'un lieu mobile, dans leur ordre, séparées par « || » ; chacune : commune | "
            "code INSEE | lieu | latitude,longitude (point décimal) | exact, ou commune (position "
            "de la mairie) | quand. Une partie inconnue est vide ; un « | » écrit dans un texte y "
            "devient « / »."
        ),
        "stops",
    ),
    ("horaires", _("Horaires, syntaxe opening_hours d'OpenStreetMap"), "opening_hours"),
    ("precisions_horaires", _("Saisons, fermetures…"), "opening_hours_note"),
    ("telephone", _("Téléphone"), "phone"),
    ("courriel", _("Courriel"), "email"),
    ("site_web", _("Site web"), "website"),
    ("accessibilite_pmr", _("yes, partial, no ou unknown"), "accessibility"),
    ("structure", _("Structure porteuse"), "structure_name"),
    ("siret_rna", _("SIRET ou RNA de la structure porteuse"), "legal_identifier"),
    ("derniere_verification", _("Date de la dernière vérification (AAAA-MM-JJ)"), "verified_on"),
    (
        "derniere_modification",
        _(
            "Date et heure de la dernière modification du lieu, de ses étapes ou de ses réseaux "
            "(ISO 8601, UTC : AAAA-MM-JJThh:mm:ssZ)"
        ),
        "updated_at",
    ),
    ("url", _("Page du lieu sur Solozère"), "url"),
]


# The place's own columns, read as plain values: exports of thousands of places build no model
# instances, and each many-to-many relation costs one query, whatever the number of places.
FIELDS = [
    "pk",
    "slug",
    "name",
    "status",
    "to_verify",
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
    "updated_at",
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


def _stops(place_ids):
    """{place pk: [its stops in order]}: where (the stop's own point, or its commune's town hall
    with the precision « commune »), and when, as typed."""
    rows = (
        Stop.objects.filter(place_id__in=place_ids)
        .with_position()
        .order_by("place_id", "position")
        .values_list(
            "place_id",
            "commune__name",
            "commune__insee",
            "label",
            "latitude",
            "lat",
            "lon",
            "schedule",
        )
    )
    stops = {}
    for place_id, commune, insee, label, own_latitude, latitude, longitude, schedule in rows:
        if latitude is None:
            precision = ""
        elif own_latitude is not None:
            precision = Place.Precision.EXACT.value
        else:
            precision = Place.Precision.COMMUNE.value
        stops.setdefault(place_id, []).append(
            {
                "commune": commune or "",
                "insee": insee or "",
                "label": label,
                "latitude": latitude,
                "longitude": longitude,
                "precision": precision,
                "schedule": schedule,
            }
        )
    return stops


def utc_iso(moment):
    """A moment as ISO 8601 in UTC, to the second: 2025-03-01T09:15:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def provenance():
    """What travels with every GeoJSON file and API answer: the licence, and when it was made."""
    return {
        "license": {"name": LICENCE_NAME, "url": LICENCE},
        "generated_at": utc_iso(timezone.now()),
    }


def records(queryset):
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
        Membership.objects.current()
        .filter(place_id__in=place_ids)
        .order_by("network__code")
        .values_list("place_id", "network__code")
        .distinct()
    ):
        networks.setdefault(place_id, []).append(code)
    stops = _stops(place_ids)
    url = absolute_url(reverse("places:detail", args=[SLUG_MARK]))
    result = []
    for row in rows:
        data = dict(zip(FIELDS, row, strict=True))
        pk = data.pop("pk")
        postcode = Commune.postcode_at(data["address"], data.pop("commune__postcodes"))
        verified = data.pop("verified_on")
        slug = data.pop("slug")
        result.append(
            {
                "id": slug,
                "name": data["name"],
                "status": data["status"],
                "to_verify": data["to_verify"],
                **{key: related[key].get(pk, []) for key in RELATIONS},
                "networks": networks.get(pk, []),
                "short_description": data["short_description"],
                "address": data["address"],
                "commune": data["commune__name"] or "",
                "insee": data["commune__insee"] or "",
                "postcode": postcode,
                "latitude": data["latitude"],
                "longitude": data["longitude"],
                "precision": data["location_precision"],
                "itinerant": data["itinerant"],
                "stops": stops.get(pk, []),
                "opening_hours": data["opening_hours"],
                "opening_hours_note": data["opening_hours_note"],
                "phone": data["phone"],
                "email": data["email"],
                "website": data["website"],
                "accessibility": data["accessibility"],
                "structure_name": data["structure_name"],
                "legal_identifier": data["legal_identifier"],
                "verified_on": verified.isoformat() if verified else None,
                "updated_at": utc_iso(data["updated_at"]),
                "url": url.replace(SLUG_MARK, slug),
            }
        )
    return result


def stops_cell(stops):
    """The `etapes` cell (see STOPS and PARTS)."""

    def text(value):
        return value.replace("|", "/")

    def where(stop):
        if stop["latitude"] is None:
            return ""
        return f"{positional(stop['latitude'])},{positional(stop['longitude'])}"

    return STOPS.join(
        PARTS.join(
            [
                text(stop["commune"]),
                stop["insee"],
                text(stop["label"]),
                where(stop),
                stop["precision"],
                text(stop["schedule"]),
            ]
        )
        for stop in stops
    )


def csv_row(data):
    def cell(value):
        if isinstance(value, list):
            return "|".join(value)
        if isinstance(value, bool):
            return "oui" if value else "non"
        return "" if value is None else value

    return [
        stops_cell(data[key]) if key == "stops" else cell(data[key])
        for _header, _meaning, key in COLUMNS
    ]


# Conditional GET: exports answer 304 while the directory has not changed (places.freshness)
# and the minute has not: « ouvert maintenant » and « un évènement cette semaine » filter them.
last_modified = freshness.last_modified
validated_since = freshness.validated_since


def etag(request, *args, **kwargs):
    """Same data, same parameters, same language, same minute: same ETag."""
    query = "&".join(sorted(f"{key}={value}" for key, value in request.GET.items()))
    return freshness.etag(request, query, freshness.this_minute())
