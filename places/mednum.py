"""The « Lieux de médiation numérique » standard (LaMednum, v1.0.2): which places go in, and how.

The standard's table schema is kept beside this module; its field names give the CSV's columns and
their order, so the export cannot drift from it. The mapping from our services to the standard's
`services` vocabulary is here, once, and documented in docs/mednum.md.
"""

import json
import re
from pathlib import Path

from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Place
from .rendering import render_markdown

SCHEMA_VERSION = "1.0.2"
SCHEMA_PATH = (
    Path(__file__).parent / "standards" / f"lieux-de-mediation-numerique-{SCHEMA_VERSION}.json"
)
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
COLUMNS = [field["name"] for field in SCHEMA["fields"]]
SEPARATOR = "|"
SOURCE = "Lozère Développement (Solozère)"

# Our service code → the standard's `services` value. A place is in the file when it offers at
# least one of these; Wi-Fi or very-high-speed alone are access, not mediation.
SERVICES = {
    "admin-help": "Aide aux démarches administratives",
    "digital-help": "Maîtrise des outils numériques du quotidien",
    "orientation": "Insertion professionnelle via le numérique",
    "fablab-machines": "Loisirs et créations numériques",
    "public-computers": "Accès internet et matériel informatique",
}

# Our place type → the data·inclusion structure typology the standard refers to.
TYPOLOGIES = {
    "france-services": "RFS",
    "cybercentre": "EPN",
}
DEFAULT_TYPOLOGY = "TIERS_LIEUX"

# Our network code → the standard's `dispositif_programmes_nationaux` value.
PROGRAMMES = {"france-services": "France Services"}

RESUME_LENGTH = next(
    field["constraints"]["maxLength"]
    for field in SCHEMA["fields"]
    if field["name"] == "presentation_resume"
)


def _vocabulary_order(field_name):
    """The standard's own order of a closed vocabulary, read from its description."""
    field = next(field for field in SCHEMA["fields"] if field["name"] == field_name)
    return field["description"].split(" : ", 1)[1].split(";")


SERVICE_ORDER = _vocabulary_order("services")


def eligible(queryset):
    """Published places offering at least one digital-mediation service."""
    return (
        queryset.filter(services__code__in=SERVICES)
        .distinct()
        .select_related("commune")
        .prefetch_related("services", "types", "memberships__network")
    )


# What the standard requires and a place may lack, as a query (see `missing` for the reasons).
GAPS = Q(legal_identifier="") | Q(address="") | Q(commune__isnull=True) | Q(commune__postcodes="")


def missing(place):
    """What the standard requires that the place's page does not say yet (empty when complete)."""
    gaps = []
    if not place.legal_identifier:
        gaps.append(_("SIRET ou RNA"))
    if not place.address:
        gaps.append(_("adresse"))
    if place.commune_id is None:
        gaps.append(_("commune"))
    elif not place.commune.postcode_list:
        gaps.append(_("code postal de la commune"))
    return gaps


def international_phone(number):
    """A French number as the standard writes it (+33 then nine digits), or "" if unreadable."""
    digits = re.sub(r"[^\d+]", "", number or "")
    if re.fullmatch(r"0\d{9}", digits):
        return "+33" + digits[1:]
    if re.fullmatch(r"\+33\d{9}", digits):
        return digits
    return ""


def _plain(markdown_text):
    return re.sub(r"\s+", " ", strip_tags(render_markdown(markdown_text))).strip()


def row(place):
    """One CSV row of the standard for a complete place (see `missing`)."""
    services = {SERVICES[s.code] for s in place.services.all() if s.code in SERVICES}
    types = {t.code for t in place.types.all()}
    typologies = sorted({TYPOLOGIES.get(code, DEFAULT_TYPOLOGY) for code in types or {""}})
    programmes = {
        PROGRAMMES[m.network.code]
        for m in place.memberships.all()
        if m.is_current and m.network.code in PROGRAMMES
    }
    if "france-services" in types:
        programmes.add(PROGRAMMES["france-services"])
    updated = place.verified_on or place.updated_at.date()
    values = {
        "id": place.slug,
        "pivot": place.legal_identifier,
        "nom": place.name,
        "commune": place.commune.name,
        "code_postal": place.commune.postcode_list[0],
        "code_insee": place.commune.insee,
        "adresse": place.address,
        "latitude": "" if place.latitude is None else place.latitude,
        "longitude": "" if place.longitude is None else place.longitude,
        "typologie": SEPARATOR.join(typologies),
        "telephone": international_phone(place.phone),
        "courriels": place.email,
        "site_web": place.website,
        "horaires": place.opening_hours,
        "presentation_resume": Truncator(place.short_description).chars(RESUME_LENGTH),
        "presentation_detail": _plain(place.description),
        "source": SOURCE,
        "itinerance": "Itinérant" if place.itinerant else "Fixe",
        "structure_parente": place.structure_name,
        "date_maj": updated.isoformat(),
        "services": SEPARATOR.join(s for s in SERVICE_ORDER if s in services),
        "dispositif_programmes_nationaux": SEPARATOR.join(sorted(programmes)),
    }
    return [values.get(column, "") for column in COLUMNS]


def split(queryset):
    """The eligible places of `queryset`, as (complete places, [(incomplete place, gaps)])."""
    complete, incomplete = [], []
    for place in eligible(queryset).order_by("name", "pk"):
        gaps = missing(place)
        if gaps:
            incomplete.append((place, gaps))
        else:
            complete.append(place)
    return complete, incomplete


def incomplete_places():
    """Places the standard's file leaves out, with what each lacks: the coordinators' to-do."""
    return split(Place.objects.published())[1]
