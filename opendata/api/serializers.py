"""What the API writes: a place (typed from the open-data records), an error."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler

from places.models import Place

from ..records import COLUMNS

MEANINGS = {key: meaning for _header, meaning, key in COLUMNS}


# What goes out


def codes(meaning):
    return serializers.ListField(child=serializers.CharField(), help_text=meaning)


def text(key):
    return serializers.CharField(help_text=MEANINGS[key])


# What travels with every answer (opendata.records.provenance), as the OpenAPI document types it:
# in the list's page and beside a place.
PROVENANCE = {
    "license": {
        "type": "object",
        "required": ["name", "url"],
        "properties": {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
        "description": _("La licence des données : son nom et son adresse"),
    },
    "generated_at": {
        "type": "string",
        "format": "date-time",
        "description": _("Quand la réponse a été faite (ISO 8601, UTC)"),
    },
}


@extend_schema_field(PROVENANCE["license"])
class LicenceField(serializers.JSONField):
    """The licence as opendata.records.provenance gives it."""


class StopSerializer(serializers.Serializer):
    __doc__ = _("Une étape d'un lieu mobile : où (son point, ou la mairie de sa commune) et quand.")

    commune = serializers.CharField(help_text=_("Commune de l'étape (vide si inconnue)"))
    insee = serializers.CharField(help_text=_("Code INSEE de cette commune (vide si inconnue)"))
    label = serializers.CharField(help_text=_("Lieu de l'étape, par exemple « marché »"))
    latitude = serializers.FloatField(allow_null=True, help_text=_("Latitude (WGS 84)"))
    longitude = serializers.FloatField(allow_null=True, help_text=_("Longitude (WGS 84)"))
    precision = serializers.ChoiceField(
        Place.Precision.choices,
        allow_blank=True,
        help_text=_("exact, commune (position de la mairie), ou vide sans position"),
    )
    schedule = serializers.CharField(help_text=_("Quand, en toutes lettres (« mardi matin »)"))


# Written from opendata.records.records(), never from a model instance. A serializer's docstring is
# its description in the OpenAPI document, for the API's users: in French, translated.
class PlaceSerializer(serializers.Serializer):
    __doc__ = _(
        "Un lieu, tel que le publient les données ouvertes : un texte inconnu est vide, une "
        "position ou une date inconnue est null."
    )

    id = serializers.SlugField(help_text=MEANINGS["id"])
    name = text("name")
    status = serializers.ChoiceField(Place.Status.choices, help_text=MEANINGS["status"])
    to_verify = serializers.BooleanField(
        help_text=_(
            "Vrai quand les informations, reprises de documents, n'ont pas encore été confirmées "
            "par le lieu"
        )
    )
    types = codes(_("Types de lieu, par code"))
    families = codes(_("Familles de fonctions, par code"))
    services = codes(_("Services proposés, par code (voir les pictogrammes)"))
    audiences = codes(_("Publics accueillis, par code"))
    networks = codes(_("Réseaux dont le lieu est membre, par code"))
    short_description = text("short_description")
    address = text("address")
    commune = text("commune")
    insee = text("insee")
    postcode = text("postcode")
    latitude = serializers.FloatField(allow_null=True, help_text=MEANINGS["latitude"])
    longitude = serializers.FloatField(allow_null=True, help_text=MEANINGS["longitude"])
    precision = serializers.ChoiceField(
        Place.Precision.choices,
        allow_blank=True,
        help_text=_("exact, commune (position de la mairie), ou vide sans position"),
    )
    itinerant = serializers.BooleanField(help_text=_("Vrai pour un lieu mobile"))
    stops = StopSerializer(many=True, help_text=_("Étapes d'un lieu mobile, dans leur ordre"))
    opening_hours = text("opening_hours")
    opening_hours_note = text("opening_hours_note")
    phone = text("phone")
    email = text("email")
    website = text("website")
    accessibility = serializers.ChoiceField(
        Place.Accessibility.choices, help_text=MEANINGS["accessibility"]
    )
    structure_name = text("structure_name")
    legal_identifier = text("legal_identifier")
    verified_on = serializers.DateField(allow_null=True, help_text=MEANINGS["verified_on"])
    updated_at = serializers.DateTimeField(help_text=MEANINGS["updated_at"])
    url = serializers.URLField(help_text=MEANINGS["url"])


class PlaceAnswerSerializer(PlaceSerializer):
    __doc__ = _("Un lieu, avec la licence des données et la date de la réponse.")

    license = LicenceField(help_text=PROVENANCE["license"]["description"])
    generated_at = serializers.DateTimeField(help_text=PROVENANCE["generated_at"]["description"])


class FieldErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    code = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    __doc__ = _(
        "Une erreur : sa raison et, pour une réponse 400, les raisons de chaque paramètre "
        "(__all__ pour une raison qui en concerne plusieurs)."
    )

    error = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=FieldErrorSerializer()), required=False
    )


def json_error(exc, context):
    """DRF's answer to an error, in the API's one error shape."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        details = exc.get_full_details()
        fields = details if isinstance(details, dict) else {"__all__": details}
        response.data = {"error": str(_("Paramètres invalides.")), "fields": fields}
    else:
        response.data = {"error": str(response.data["detail"])}
    return response
