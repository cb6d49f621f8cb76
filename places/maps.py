"""Settings for static/js/map.js: what to draw, where from, and its words in the page's language."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from territory.geo import BORDERS_FILE

from .models import Place

INSEE_MARK = "00000"
DEFAULT_PICTOGRAM = "map-pin"  # for a place whose services are not known yet


def map_config(*, geojson_url=None, commune="", point=None, origin=None, radius_km=None, area=None):
    """`area`: the address of an outline to draw and frame (a communauté de communes')."""
    return {
        "geojson": geojson_url,
        "outline": static("geo/departement.geojson"),
        "borders": static(f"geo/{BORDERS_FILE}"),
        "communeNames": reverse("territory:labels"),
        "communeOutline": reverse("territory:outline", args=[INSEE_MARK]),
        "insee": commune,
        "area": area,
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
            "openNow": _("Ouvert maintenant"),
            "closedNow": _("Fermé en ce moment"),
            "noCommune": _("Commune à préciser"),
            "services": _("Services"),
            "status": {value: capfirst(label) for value, label in Place.Status.choices},
        },
    }
