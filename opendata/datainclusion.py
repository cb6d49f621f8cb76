"""The data·inclusion schema (v1): each open place as a structure, what it offers as services.

data·inclusion (GIP Plateforme de l'inclusion) gathers the « offre d'insertion » of the whole
country; its schema is the pydantic models of the `data-inclusion-schema` package, and the JSON
Schema files published from them are kept beside this module byte for byte (docs/data-inclusion.md).
Every code written here is a member of the package's enums, so none can be mistyped; the mapping
from our catalogue to them is here, once, and documented in docs/data-inclusion.md.

The files are built on `records.records` (plain values, a fixed number of queries), with one more
query for what only these files say (the description, the last change) and one for the catalogue.
"""

import json
from pathlib import Path
from typing import NamedTuple

from data_inclusion.schema import v1
from django.utils.text import Truncator

from places.models import Service
from places.rendering import plain_text

from .mednum import international_phone
from .records import records

SCHEMA_VERSION = "1.0.8"
STANDARDS = Path(__file__).parent / "standards"
STRUCTURE_SCHEMA_PATH = STANDARDS / f"data-inclusion-structure-{SCHEMA_VERSION}.json"
SERVICE_SCHEMA_PATH = STANDARDS / f"data-inclusion-service-{SCHEMA_VERSION}.json"
# Where data·inclusion publishes them (the files above are copies of these, byte for byte).
PUBLISHED_SCHEMAS = (
    "https://github.com/gip-inclusion/data-inclusion-schema/blob/v"
    + SCHEMA_VERSION
    + "/schemas/v1/"
)
STRUCTURE_SCHEMA_URL = PUBLISHED_SCHEMAS + "structure.json"
SERVICE_SCHEMA_URL = PUBLISHED_SCHEMAS + "service.json"

# The producer's identifier: each id is « solozere--<the place's slug> » (and « --<service> »).
SOURCE = "solozere"

# Our network code → data·inclusion's `reseaux_porteurs`. Solozère and the Réseau des Tiers-Lieux
# Occitanie have no code there: they are left out rather than forced into a near one.
NETWORKS = {
    "france-services": v1.ReseauPorteur.FRANCE_SERVICE,
    "fabrique-de-territoire": v1.ReseauPorteur.FABRIQUE_DE_TERRITOIRE,
    "campus-connecte": v1.ReseauPorteur.CAMPUS_CONNECTE,
}


class Offer(NamedTuple):
    """What one of our services is in data·inclusion's words."""

    thematiques: tuple
    type: v1.TypeService | None = None


T = v1.Thematique
# Our service code → its data·inclusion thematiques and, where the service's own words say it, its
# type. A service of the catalogue not listed here is not part of the « offre d'insertion » (desks,
# rooms, furniture…) or names no subject (« Formations et ateliers »): it is not exported.
SERVICES = {
    "admin-help": Offer(
        (T.DIFFICULTES_ADMINISTRATIVES_OU_JURIDIQUES__ACCOMPAGNEMENT_POUR_LACCES_AUX_DROITS,),
        v1.TypeService.ACCOMPAGNEMENT,
    ),
    "digital-help": Offer(
        (T.NUMERIQUE__MAITRISER_LES_FONDAMENTAUX_DU_NUMERIQUE,), v1.TypeService.ACCOMPAGNEMENT
    ),
    "public-computers": Offer(
        (
            T.NUMERIQUE__ACCEDER_A_DES_SERVICES_EN_LIGNE,
            T.NUMERIQUE__ACCEDER_A_UNE_CONNEXION_INTERNET,
        ),
        v1.TypeService.AIDE_MATERIELLE,
    ),
    "wifi": Offer((T.NUMERIQUE__ACCEDER_A_UNE_CONNEXION_INTERNET,)),
    "orientation": Offer(
        (
            T.SE_FORMER__TROUVER_SA_FORMATION,
            T.PREPARER_SA_CANDIDATURE__ORGANISER_SES_DEMARCHES_DE_RECHERCHE_DEMPLOI,
        )
    ),
    "entrepreneurship": Offer(
        (
            T.CREER_UNE_ENTREPRISE__DEFINIR_SON_PROJET_DE_CREATION_DENTREPRISE,
            T.CREER_UNE_ENTREPRISE__STRUCTURER_SON_PROJET_DE_CREATION_DENTREPRISE,
            T.CREER_UNE_ENTREPRISE__DEVELOPPER_SON_ENTREPRISE,
        ),
        v1.TypeService.ACCOMPAGNEMENT,
    ),
    "childcare": Offer((T.FAMILLE__GARDE_DENFANTS,)),
    "cultural-programme": Offer((T.REMOBILISATION__ACTIVITES_SPORTIVES_ET_CULTURELLES,)),
    "citizen-agora": Offer((T.REMOBILISATION__BENEVOLAT_ACTION_CITOYENNE,)),
    "cafe": Offer((T.REMOBILISATION__LIEN_SOCIAL,)),
}

# Our « publics accueillis » say who is welcome, not who is eligible: only « Tout public » says
# something data·inclusion's `publics` can hold; other publics leave it unknown (null).
EVERYONE = "everyone"

# The schema's lengths (v1.Structure / v1.Service): a name of 3 to 150 characters, a description
# of 5 to 10,000.
NAME_LENGTH = (3, 150)
DESCRIPTION_LENGTH = (5, 10_000)


def _fits(text, bounds):
    """`text` cut to the schema's maximum, or None when shorter than its minimum."""
    shortest, longest = bounds
    text = Truncator(text.strip()).chars(longest)
    return text if len(text) >= shortest else None


def _place_facts(queryset):
    """{slug: (description, day of the last change)}: what records() does not carry."""
    return {
        slug: (description, updated_at.date())
        for slug, description, updated_at in queryset.values_list(
            "slug", "description", "updated_at"
        )
    }


def _located(data):
    """The address fields a structure and its services share; a position only when it is the
    place's own (not its town hall's, which is the commune's)."""
    exact = data["latitude"] is not None and data["precision"] == "exact"
    return {
        "commune": data["commune"] or None,
        "code_postal": data["postcode"] or None,
        "code_insee": data["insee"] or None,
        "adresse": data["address"] or None,
        "longitude": data["longitude"] if exact else None,
        "latitude": data["latitude"] if exact else None,
        "telephone": international_phone(data["phone"]) or data["phone"] or None,
        "courriel": data["email"] or None,
    }


def _structure(data, description, updated):
    siret = data["legal_identifier"]
    return {
        **dict.fromkeys(v1.Structure.model_fields),
        "source": SOURCE,
        "id": f"{SOURCE}--{data['id']}",
        "nom": _fits(data["name"], NAME_LENGTH),
        "date_maj": data["verified_on"] or updated.isoformat(),
        "description": _fits(
            plain_text(description) or data["short_description"], DESCRIPTION_LENGTH
        ),
        "lien_source": data["url"],
        # An RNA number is not a SIRET, and the schema has no field for it.
        "siret": siret if len(siret) == 14 and siret.isdigit() else None,
        **_located(data),
        "site_web": data["website"] or None,
        "horaires_accueil": data["opening_hours"] or None,
        "reseaux_porteurs": sorted({NETWORKS[c] for c in data["networks"] if c in NETWORKS})
        or None,
    }


def _service(structure, data, code, catalogue):
    label, description = catalogue[code]
    offer = SERVICES[code]
    return {
        **dict.fromkeys(v1.Service.model_fields),
        "source": SOURCE,
        "structure_id": structure["id"],
        "id": f"{structure['id']}--{code}",
        "nom": _fits(label, NAME_LENGTH),
        "description": _fits(description, DESCRIPTION_LENGTH) or _fits(label, DESCRIPTION_LENGTH),
        "lien_source": structure["lien_source"],
        "date_maj": structure["date_maj"],
        "type": offer.type,
        "thematiques": sorted(offer.thematiques),
        "publics": [v1.Public.TOUS_PUBLICS] if EVERYONE in data["audiences"] else None,
        **_located(data),
        # Offered at the place's address; a mobile place's services are where it stops.
        "modes_accueil": None if data["itinerant"] else [v1.ModeAccueil.EN_PRESENTIEL],
    }


def export(queryset):
    """(structures, services) of the open places of `queryset`, as the schema's JSON objects.

    A place whose name has fewer than three characters, or a service whose label has, is left out:
    the schema refuses it, and nothing else could honestly stand for it."""
    places = queryset.open()
    facts = _place_facts(places)
    catalogue = {
        code: (label, description)
        for code, label, description in Service.objects.filter(code__in=SERVICES).values_list(
            "code", "label_fr", "description_fr"
        )
    }
    structures, services = [], []
    for data in records(places):
        structure = _structure(data, *facts[data["id"]])
        if structure["nom"] is None:
            continue
        structures.append(structure)
        for code in data["services"]:
            if code in SERVICES and code in catalogue:
                service = _service(structure, data, code, catalogue)
                if service["nom"] and service["description"]:
                    services.append(service)
    return structures, services


def dumps(objects):
    """The JSON text of a list of structures or services (the enums' members are strings)."""
    return json.dumps(objects, ensure_ascii=False)
