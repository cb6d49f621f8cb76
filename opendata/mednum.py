"""The « Lieux de médiation numérique » standard (LaMednum, v1.0.2): which places go in, and how.

The standard's table schema is kept beside this module, byte for byte as published; its field names
give the CSV's columns and their order, and its patterns the closed vocabularies, so the export
cannot drift from it. The mapping from our services to the standard's `services` vocabulary is
here, once, and documented in docs/mednum.md.
"""

import json
import re
from pathlib import Path

from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from places.rendering import plain_text
from territory.models import POSTCODE_SQL

SCHEMA_VERSION = "1.0.2"
SCHEMA_PATH = (
    Path(__file__).parent / "standards" / f"lieux-de-mediation-numerique-{SCHEMA_VERSION}.json"
)
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
FIELDS = {field["name"]: field for field in SCHEMA["fields"]}
COLUMNS = list(FIELDS)
# Written as they are, not guarded against spreadsheet formulas (places.csvfiles): the standard
# requires a telephone to begin with « + », and `international_phone` lets through nothing but
# « +33 » and nine digits.
VERBATIM = {"telephone"}
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

# Our place type → the data·inclusion structure typology the standard refers to (its list, kept
# beside the schema: TYPOLOGIES_PATH). Every place here offers digital mediation, so a mobile one is
# an « Espace Numérique Mobile »; a fablab is one by its type, not by owning a 3D printer.
TYPOLOGIES = {
    "france-services": "RFS",
    "cybercentre": "EPN",
    "fablab": "FABLAB",
    "mobile": "ENM",
}
ITINERANT_TYPOLOGY = TYPOLOGIES["mobile"]
DEFAULT_TYPOLOGY = "TIERS_LIEUX"
TYPOLOGIES_PATH = SCHEMA_PATH.parent / "data-inclusion-v0-typologies-de-structures.json"

# Our network code → the standard's `dispositif_programmes_nationaux` value.
PROGRAMMES = {"france-services": "France Services"}
# Our network code → the standard's `formations_labels` value: Fabrique de territoire is a label.
LABELS = {"fabrique-de-territoire": "Fabriques de Territoire"}

RESUME_LENGTH = FIELDS["presentation_resume"]["constraints"]["maxLength"]

# A closed vocabulary's pattern: `(?:(?:^|\|)(value|value|…))+$`, one or more values joined by `|`.
VOCABULARY_PATTERN = re.compile(r"\(\?:\(\?:\^\|\\\|\)\((?P<values>.*)\)\)\+\$")


def vocabulary(field_name):
    """A closed list's values, in the standard's order, exactly as its pattern accepts them.

    Read from the pattern, which the validation applies, rather than from the description, whose
    prose differs from it (spacing, accents, a final full stop)."""
    pattern = FIELDS[field_name]["constraints"]["pattern"]
    match = VOCABULARY_PATTERN.fullmatch(pattern)
    if match is None:
        raise ValueError(f"{SCHEMA_PATH.name}: {field_name}'s pattern is not a list of values.")
    return [re.sub(r"\\(.)", r"\1", value) for value in re.split(r"(?<!\\)\|", match["values"])]


SERVICE_ORDER = vocabulary("services")


def _in_standard_order(values, order):
    """Values in the standard's order; one it does not list (a test forbids it) is kept, last,
    so that the file fails validation rather than silently losing it."""
    return sorted(values, key=lambda value: order.index(value) if value in order else len(order))


def offering_mediation(places):
    """Open places offering at least one digital-mediation service, whatever else is asked: the
    standard lists places the public can go to, not projects nor closed ones."""
    offering = places.model.services.through.objects.filter(service__code__in=SERVICES)
    return places.open().filter(pk__in=offering.values("place_id"))


def complete(places):
    """Those with all the standard requires: the places in the national file."""
    return offering_mediation(places).exclude(GAPS)


def incomplete(places):
    """Those the national file leaves out until they say what it requires."""
    return offering_mediation(places).filter(GAPS)


def eligible(queryset):
    """The places of `queryset` offering digital mediation, with what their row reads."""
    return (
        offering_mediation(queryset)
        .select_related("commune")
        .prefetch_related("services", "types", "memberships__network")
    )


# What the standard requires and a place may lack, as a query (see `missing` for the reasons). A
# postcode is known when the address writes one, or when the commune has exactly one.
NO_POSTCODE = ~Q(address__regex=POSTCODE_SQL) & (
    Q(commune__postcodes="") | Q(commune__postcodes__contains="|")
)
GAPS = Q(legal_identifier="") | Q(address="") | Q(commune__isnull=True) | NO_POSTCODE


def missing(place):
    """What the standard requires that the place's page does not say yet (empty when complete)."""
    gaps = []
    if not place.legal_identifier:
        gaps.append(_("SIRET ou RNA"))
    if not place.address:
        gaps.append(_("adresse"))
    if place.commune_id is None:
        gaps.append(_("commune"))
    elif place.address and not place.postcode:
        gaps.append(_("code postal dans l'adresse"))
    return gaps


def international_phone(number):
    """A French number as the standard writes it (+33 then nine digits), or "" if unreadable."""
    digits = re.sub(r"[^\d+]", "", number or "")
    if re.fullmatch(r"0\d{9}", digits):
        return "+33" + digits[1:]
    if re.fullmatch(r"\+33\d{9}", digits):
        return digits
    return ""


def typologies(place_types, itinerant):
    """The standard's `typologie` values of a place: its types' (see TYPOLOGIES), `TIERS_LIEUX`
    for the others, and `ENM` for a mobile place, whatever its types."""
    found = {TYPOLOGIES.get(code, DEFAULT_TYPOLOGY) for code in place_types or {""}}
    return sorted(found | {ITINERANT_TYPOLOGY} if itinerant else found)


def parent_structure(place):
    """`structure_parente`, « le réseau/la structure auquel le lieu appartient », by its name: the
    structure porteuse when it is another entity than the place (Numn'coop for the Tiers-Truck),
    nothing when it is the place itself under its own name."""
    name = place.structure_name.strip()
    return "" if name.casefold() == place.name.strip().casefold() else name


def row(place):
    """One CSV row of the standard for a complete place (see `missing`)."""
    services = {SERVICES[s.code] for s in place.services.all() if s.code in SERVICES}
    types = {t.code for t in place.types.all()}
    networks = {m.network.code for m in place.memberships.all() if m.is_current}
    programmes = {PROGRAMMES[code] for code in networks if code in PROGRAMMES}
    labels = {LABELS[code] for code in networks if code in LABELS}
    if "france-services" in types:
        programmes.add(PROGRAMMES["france-services"])
    updated = place.verified_on or place.updated_at.date()
    exact = place.is_located and place.location_precision == place.Precision.EXACT
    values = {
        "id": place.slug,
        "pivot": place.legal_identifier,
        "nom": place.name,
        "commune": place.commune.name,
        "code_postal": place.postcode,
        "code_insee": place.commune.insee,
        "adresse": place.address,
        # A position at the town hall is the commune's, not the place's: left out.
        "latitude": place.latitude if exact else "",
        "longitude": place.longitude if exact else "",
        "typologie": SEPARATOR.join(typologies(types, place.itinerant)),
        "telephone": international_phone(place.phone),
        "courriels": place.email,
        "site_web": place.website,
        "horaires": place.opening_hours,
        "presentation_resume": Truncator(place.short_description).chars(RESUME_LENGTH),
        "presentation_detail": plain_text(place.description),
        "source": SOURCE,
        "itinerance": "Itinérant" if place.itinerant else "Fixe",
        "structure_parente": parent_structure(place),
        "date_maj": updated.isoformat(),
        "services": SEPARATOR.join(_in_standard_order(services, SERVICE_ORDER)),
        "dispositif_programmes_nationaux": SEPARATOR.join(sorted(programmes)),
        "formations_labels": SEPARATOR.join(sorted(labels)),
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
