"""Addresses found by the national address service, for the place form's address search.

GEOCODER_URL names a server speaking the API of the Base Adresse Nationale (BAN): `GET
{GEOCODER_URL}/search/?q=…&citycode=…&limit=5` answers a GeoJSON FeatureCollection whose
features have a point and `properties.label`, `score`, `type`. Only the back-office's own view
asks it (browsers never do: the site's CSP allows no other origin), and nothing is asked when the
setting is empty. Addresses outside Lozère are left out.
"""

import http.client
import json
import math
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from territory.validators import far_from_commune, validate_in_lozere

LIMIT = 5
# A BAN answer of five addresses weighs a few kilobytes; more is not an answer to this question.
MAX_BYTES = 256 * 1024
QUERY_LENGTH = (3, 200)


class GeocoderError(Exception):
    """The service could not answer; the message says so to the person searching."""


@dataclass
class Address:
    label: str
    score: float
    kind: str  # BAN's type: housenumber, street, locality, municipality
    latitude: float
    longitude: float
    street: str  # the address without its commune, « 2 rue X », to fill an empty address field
    postcode: str
    city: str
    warning: str  # far from the place's commune


def search(query, commune=None):
    """Up to LIMIT addresses in Lozère for `query`, in `commune` (a Commune) when given."""
    params = {"q": query, "limit": LIMIT}
    if commune is not None:
        params["citycode"] = commune.insee
    url = f"{settings.SOLOZERE_GEOCODER_URL.rstrip('/')}/search/?{urlencode(params)}"
    request = Request(url, headers={"Accept": "application/json", "User-Agent": "Solozere"})
    try:
        with urlopen(request, timeout=settings.SOLOZERE_GEOCODER_TIMEOUT) as response:
            body = response.read(MAX_BYTES + 1)
    except HTTPError as error:
        raise GeocoderError(
            _("Le service d'adresses a refusé la recherche (erreur %(status)s).")
            % {"status": error.code}
        ) from error
    except (URLError, OSError, http.client.HTTPException) as error:
        raise GeocoderError(
            _(
                "Le service d'adresses ne répond pas : réessayez plus tard, ou placez le lieu sur "
                "la carte."
            )
        ) from error
    try:
        if len(body) > MAX_BYTES:
            raise ValueError("too long")
        features = json.loads(body)["features"]
        if not isinstance(features, list):
            raise ValueError("no list of features")
    except (ValueError, KeyError, TypeError) as error:
        raise GeocoderError(
            _("Le service d'adresses a répondu de façon inattendue : réessayez plus tard.")
        ) from error
    found = (_address(feature, commune) for feature in features[:LIMIT])
    return [address for address in found if address is not None]


def _address(feature, commune):
    """The feature as an Address, or None when it is not a point in Lozère with a label."""
    try:
        properties = feature.get("properties") or {}
        longitude, latitude = (float(value) for value in feature["geometry"]["coordinates"][:2])
        label = str(properties.get("label") or "").strip()
        score = float(properties.get("score") or 0)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    in_range = -90 <= latitude <= 90 and -180 <= longitude <= 180
    if not label or not in_range or not math.isfinite(score):
        return None
    try:
        validate_in_lozere(latitude, longitude)
    except ValidationError:
        return None

    def text(key):
        return str(properties.get(key) or "").strip()[:200]

    return Address(
        label=label[:300],
        score=round(score, 3),
        kind=text("type"),
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
        street=text("name"),
        postcode=text("postcode"),
        city=text("city"),
        warning=far_from_commune(commune, latitude, longitude),
    )
