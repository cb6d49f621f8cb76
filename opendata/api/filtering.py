"""The one PlaceFilter as open data asks it, as the API's filter backend, and its filters as typed
query parameters."""

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from rest_framework.exceptions import ErrorDetail, ValidationError

from places.filters import PlaceFilter


class OpenDataFilter(PlaceFilter):
    """The directory's search, listing places in project with the open ones unless asked not
    to (include_projects=false): each record says its status, and re-users choose."""

    projects_by_default = True


class PlaceFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with each reason as the form wrote it.

    django-filter's own translation of the errors formats each message again, which breaks on a
    reason quoting a visitor's text with a « % » in it (a 500 instead of a 400)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        refuse_invalid(filterset)
        return filterset.qs


def refuse_invalid(filterset):
    """A 400 naming each invalid parameter, as the form wrote its reason."""
    if not filterset.is_valid():
        raise ValidationError(
            {
                field: [ErrorDetail(error["message"], error["code"]) for error in errors]
                for field, errors in filterset.errors.get_json_data().items()
            }
        )


class PlaceFilterParameters(OpenApiFilterExtension):
    """The FilterSet's filters as typed query parameters, read from each filter's form field and
    its arguments (bounds, lengths, choices). drf-spectacular's own reading of django-filter looks
    for a model field of the filter's name, which filters by method have not."""

    target_class = PlaceFilterBackend
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        filters = auto_schema.view.filterset_class.base_filters
        return [query_parameter(name, definition) for name, definition in filters.items()]


# Filters that have no label on the site's form (the visitor's position is sent by the page).
UNLABELLED = {
    "lat": _("Latitude (WGS 84) d'où chercher, avec lon, au lieu de near"),
    "lon": _("Longitude (WGS 84) d'où chercher, avec lat"),
}


def query_parameter(name, definition):
    field, extra = definition.field_class, definition.extra
    if issubclass(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        item = {"type": "string"}
        if "choices" in extra:
            item["enum"] = [value for value, _label in extra["choices"]]
        schema = {"type": "array", "items": item}
    elif issubclass(field, forms.BooleanField):
        schema = {"type": "boolean"}
    elif issubclass(field, forms.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif issubclass(field, forms.DecimalField):
        schema = {"type": "integer" if extra.get("decimal_places") == 0 else "number"}
        bounds = {"minimum": extra.get("min_value"), "maximum": extra.get("max_value")}
        schema.update((key, value) for key, value in bounds.items() if value is not None)
    elif issubclass(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif issubclass(field, (forms.CharField, forms.ModelChoiceField)):
        schema = {"type": "string"}
        if extra.get("max_length"):
            schema["maxLength"] = extra["max_length"]
    elif issubclass(field, forms.ChoiceField):
        schema = {"type": "string", "enum": [value for value, _label in extra["choices"]]}
    else:
        raise ImproperlyConfigured(f"No OpenAPI type for the filter {name!r} ({field.__name__}).")
    description = definition.label or UNLABELLED.get(name, "")
    if schema["type"] == "array":
        description = _("%(label)s ; plusieurs valeurs (paramètre répété) : l'une ou l'autre") % {
            "label": description
        }
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": str(description),
        "schema": schema,
        **({"style": "form", "explode": True} if schema["type"] == "array" else {}),
    }
