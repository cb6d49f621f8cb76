"""Settings for static/js/map.js: what to draw, where from, and its words in the page's language."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

INSEE_MARK = "00000"
DEFAULT_PICTOGRAM = "map-pin"  # for a place whose services are not known yet


def map_config(*, geojson_url=None, commune="", point=None, origin=None, radius_km=None):
    return {
        "geojson": geojson_url,
        "outline": static("geo/departement.geojson"),
        "communeOutline": reverse("places:commune-outline", args=[INSEE_MARK]),
        "insee": commune,
        "pictos": static("img/pictos/"),
        "defaultPicto": DEFAULT_PICTOGRAM,
        "tiles": settings.SOLOZERE_TILES_URL,
        "attribution": settings.SOLOZERE_TILES_ATTRIBUTION,
        "point": point,
        "origin": origin,
        "radiusKm": radius_km,
        "labels": {
            "approx": _("Position approximative : mairie de la commune"),
            "open": _("Voir la fiche"),
            "zoomIn": _("Zoomer"),
            "zoomOut": _("Dézoomer"),
            "close": _("Fermer la bulle"),
            "cell": _("%(count)s lieux dans cette zone : zoomer"),
        },
    }
