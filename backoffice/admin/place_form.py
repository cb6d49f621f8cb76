"""What the place form shows besides its fields: the map picker's settings and its address search,
and the previews of the opening hours and the description, computed as the public site shows them.
"""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contributions.limits import spend
from places import hours
from places.hours_french import to_expression
from places.rendering import render_markdown
from places.validators import validate_opening_hours
from territory.models import Commune

from .. import geocoder
from .hours_grid import WeekGridField, WeekGridWidget


class PlaceFormHelpers:
    """For PlaceAdmin: its get_urls() routes the views."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["place_form_config"] = {
            "outline": static("geo/departement.geojson"),
            "communeOutlines": static("geo/communes.geojson"),
            "communes": {
                pk: {"insee": insee, "at": [lat, lon]}
                for pk, insee, lat, lon in Commune.objects.values_list(
                    "pk", "insee", "townhall_latitude", "townhall_longitude"
                )
                if lat is not None
            },
            "tiles": settings.SOLOZERE_TILES_URL,
            "attribution": settings.SOLOZERE_TILES_ATTRIBUTION,
            "geocoder": (
                reverse("admin:places_place_geocode") if settings.SOLOZERE_GEOCODER_URL else None
            ),
            "hoursPreview": reverse("admin:places_place_hours_preview"),
            "markdownPreview": reverse("admin:places_place_markdown_preview"),
            "labels": {
                "map": _("Carte : cliquez ou déplacez le repère pour placer le lieu"),
                "help": _("Cliquez sur la carte ou déplacez le repère pour placer le lieu."),
                "outside": _("Attention : ce point se trouve hors de la Lozère."),
                "zoomIn": _("Zoomer"),
                "zoomOut": _("Dézoomer"),
                "centre": _("Centrer sur la commune"),
                "noCommune": _("Choisissez d'abord la commune du lieu."),
                "search": _("Rechercher une adresse"),
                "searchButton": _("Rechercher"),
                "searching": _("Recherche en cours…"),
                "searchFailed": _(
                    "La recherche d'adresse a échoué : réessayez plus tard, ou placez le lieu "
                    "sur la carte."
                ),
                "results": _("Adresses trouvées : choisissez-en une pour y placer le lieu."),
                "placed": _("Lieu placé : %(label)s."),
                "expression": _("Expression OpenStreetMap :"),
                "copyWeek": _("Mêmes horaires que le lundi, du mardi au vendredi"),
            },
        }
        return super().render_change_form(request, context, *args, **kwargs)

    def geocode_view(self, request):
        """Addresses in Lozère for `q` (in the commune `commune`, a commune's id, if given), asked
        of the national address service: {"results": [...]}, or {"error": "…"}."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not settings.SOLOZERE_GEOCODER_URL:
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        query = " ".join("".join(c for c in request.GET.get("q", "") if c.isprintable()).split())
        shortest, longest = geocoder.QUERY_LENGTH
        if not shortest <= len(query) <= longest:
            message = _("Tapez une adresse de %(shortest)s à %(longest)s caractères.")
            return JsonResponse(
                {"error": message % {"shortest": shortest, "longest": longest}}, status=400
            )
        if not spend("geocode", request.user.pk, settings.SOLOZERE_GEOCODES_PER_HOUR):
            message = _("Trop de recherches d'adresses : réessayez dans une heure.")
            return JsonResponse({"error": message}, status=429)
        try:
            found = geocoder.search(query, _commune(request.GET.get("commune", "")))
        except geocoder.GeocoderError as error:
            return JsonResponse({"error": str(error)}, status=502)
        if not found:
            message = _(
                "Aucune adresse trouvée en Lozère : précisez la recherche, ou placez le lieu sur "
                "la carte."
            )
            return JsonResponse({"results": [], "error": message})
        return JsonResponse({"results": [vars(address) for address in found]})

    def hours_preview_view(self, request):
        """The expression the grid (`source=grid`, its inputs) or the text typed (`value`) gives,
        and the coming week it opens."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            if request.POST.get("source") == "grid":
                data = WeekGridWidget().value_from_datadict(request.POST, None, "hours_grid")
                grid = WeekGridField(required=False).clean(data)
                value = grid.expression() if grid else ""
            else:
                value = to_expression(request.POST.get("value", ""))
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)})
        days = hours.week(value) if value else []
        return JsonResponse(
            {"expression": value, "week": [_describe_day(day, slots) for day, slots in days]}
        )

    def markdown_preview_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return JsonResponse({"html": str(render_markdown(request.POST.get("value", "")))})

    @admin.display(description=_("Aperçu des sept prochains jours"))
    def hours_preview(self, obj):
        if not obj or not obj.opening_hours:
            return "—"
        try:
            # A form sent back with its errors holds what was typed, not what is saved.
            validate_opening_hours(obj.opening_hours)
        except ValidationError:
            return gettext("Aucun aperçu : les horaires saisis ne sont pas valides.")
        return " · ".join(_describe_day(day, slots) for day, slots in hours.week(obj.opening_hours))


def _commune(value):
    """The commune an address search names by its id, or None."""
    if not (value.isascii() and value.isdigit() and len(value) < 10):
        return None
    return Commune.objects.filter(pk=int(value)).first()


def _describe_day(day, slots):
    opening = ", ".join(f"{start}–{end}" for start, end in slots) or gettext("fermé")
    return f"{date_format(day, 'l j/m')} : {opening}"
