"""The API's views: the list, a place, the OpenAPI document; read-only JSON for anyone."""

from django.conf import settings
from django.db.models import Case, When
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from places.links import absolute_url
from places.models import Place

from ..records import LICENCE, LICENCE_NAME, etag, provenance, records, validated_since
from .filtering import OpenDataFilter, PlaceFilterBackend
from .pages import PlacePages
from .serializers import ErrorSerializer, PlaceAnswerSerializer, PlaceSerializer

API_VERSION = "1.0"


# How it goes out


class JsonOnly(BaseContentNegotiation):
    """The API speaks JSON whatever the Accept header asks for: never a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class OpenToAll:
    """Read-only (GET and HEAD; any other method is a 405), JSON whatever the Accept header
    says, and anyone's site may read it from the browser (CORS), errors included."""

    http_method_names = ["get", "head"]
    content_negotiation_class = JsonOnly

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


# 304 while the directory has not changed (places.freshness), as for the export files.
unchanged_since = method_decorator(
    condition(etag_func=etag, last_modified_func=validated_since), name="get"
)


def in_order(ids):
    """A queryset of a page's places that keeps the page's order."""
    order = Case(*(When(pk=pk, then=index) for index, pk in enumerate(ids)))
    return Place.objects.filter(pk__in=ids).order_by(order) if ids else Place.objects.none()


# The views

NOT_MODIFIED = OpenApiResponse(
    description=_("Inchangé depuis la réponse que désignent If-None-Match ou If-Modified-Since")
)


def list_schema(summary, description, serializer, page):
    """The OpenAPI description of a list: a page of `serializer`, a 304, or a 400 with its
    reason."""
    return extend_schema_view(
        get=extend_schema(
            summary=summary,
            description=description,
            responses={
                status.HTTP_200_OK: OpenApiResponse(serializer(many=True), description=page),
                status.HTTP_304_NOT_MODIFIED: NOT_MODIFIED,
                status.HTTP_400_BAD_REQUEST: OpenApiResponse(
                    ErrorSerializer, description=_("Paramètre invalide, avec la raison")
                ),
            },
        )
    )


def detail_schema(summary, description, serializer, found, missing, parameters=()):
    """The OpenAPI description of one record: `serializer`, a 304, or a 404 saying `missing`."""
    return extend_schema_view(
        get=extend_schema(
            summary=summary,
            description=description,
            parameters=list(parameters),
            responses={
                status.HTTP_200_OK: OpenApiResponse(serializer, description=found),
                status.HTTP_304_NOT_MODIFIED: NOT_MODIFIED,
                status.HTTP_404_NOT_FOUND: OpenApiResponse(ErrorSerializer, description=missing),
            },
        )
    )


@list_schema(
    _("Liste des lieux, avec les filtres de l'annuaire"),
    _(
        "Les lieux que la même recherche montre sur le site, dans le même ordre, une page à "
        "la fois. Plusieurs valeurs d'un filtre : l'une ou l'autre ; plusieurs filtres : "
        "tous à la fois."
    ),
    PlaceSerializer,
    _("Une page de lieux"),
)
@unchanged_since
class PlaceList(OpenToAll, generics.ListAPIView):
    queryset = Place.objects.published()
    serializer_class = PlaceSerializer
    filter_backends = [PlaceFilterBackend]
    filterset_class = OpenDataFilter
    pagination_class = PlacePages

    def list(self, request, *args, **kwargs):
        places = self.filter_queryset(self.get_queryset())
        ids = self.paginate_queryset(places.values_list("pk", flat=True))
        page = self.get_serializer(records(in_order(ids)), many=True)
        return self.get_paginated_response(page.data)


@detail_schema(
    _("Un lieu, par son identifiant"),
    _("Un lieu publié, même fermé, par son identifiant (id)."),
    PlaceAnswerSerializer,
    _("Le lieu"),
    _("Aucun lieu publié n'a cet identifiant"),
)
@unchanged_since
class PlaceDetail(OpenToAll, generics.RetrieveAPIView):
    queryset = Place.objects.published()
    serializer_class = PlaceAnswerSerializer
    lookup_field = "slug"

    def retrieve(self, request, *args, **kwargs):
        found = records(self.get_queryset().filter(slug=kwargs["slug"]))
        if not found:
            raise NotFound(_("Aucun lieu publié n'a cet identifiant."))
        return Response(self.get_serializer({**found[0], **provenance()}).data)


class OpenApiDocument(OpenToAll, SpectacularJSONAPIView):
    """The API's OpenAPI 3 document, generated from the views above, in the visitor's language
    or the one `lang` names; what a visitor types never goes into it."""

    renderer_classes = [OpenApiJsonRenderer2]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        language = request.query_params.get("lang")
        if language and language not in dict(settings.LANGUAGES):
            choices = ", ".join(dict(settings.LANGUAGES))
            reason = _("lang : une langue du site (%(choices)s).") % {"choices": choices}
            raise ValidationError({"lang": [reason]}, code="invalid_choice")
        return super().get(request, *args, **kwargs)


def describe_site(result, generator, request, public):
    """drf-spectacular hook: the API's version (never a ?version= a visitor typed), the open
    data's licence, and the site's address from SITE_URL (places.links)."""
    result["info"].update(version=API_VERSION, license={"name": LICENCE_NAME, "url": LICENCE})
    result["servers"] = [{"url": absolute_url("/")}]
    return result
