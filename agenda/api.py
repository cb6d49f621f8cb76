"""The agenda in the read API: /api/evenements/ (the agenda's search, a page at a time) and one
event by its id or its slug, on the places API's machinery (opendata.api): JSON only, read-only,
open to any site, errors in its one shape, pages refused rather than changed when out of bounds.

Each event is written from agenda.opendata.record(), the open data's row (never whoever proposed
it), with its dates: those in the window asked for in the list, the coming year's for one event.
"""

import uuid

from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition
from drf_spectacular.utils import (
    OpenApiParameter,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from opendata.api.filtering import PlaceFilterBackend, PlaceFilterParameters, refuse_invalid
from opendata.api.pages import PlacePages
from opendata.api.serializers import PROVENANCE, LicenceField
from opendata.api.views import OpenToAll, detail_schema, list_schema
from opendata.records import provenance, validated_since
from places import freshness
from places.models import Place

from .filters import EventFilter
from .models import Event
from .opendata import record
from .recurrence import MAX_WINDOW, local


class DateSerializer(serializers.Serializer):
    debut = serializers.DateTimeField(help_text=_("Début (ISO 8601, heure de Lozère)"))
    fin = serializers.DateTimeField(help_text=_("Fin (ISO 8601, heure de Lozère)"))


class EventSerializer(serializers.Serializer):
    __doc__ = _(
        "Un évènement, tel que le publient les données ouvertes (une série est un évènement, "
        "avec sa règle), et ses dates."
    )

    id = serializers.UUIDField(help_text=_("Identifiant de l'évènement (son UID iCalendar)"))
    url = serializers.URLField(help_text=_("Sa page"))
    titre = serializers.CharField(help_text=_("Titre"))
    debut = serializers.DateTimeField(help_text=_("Début de la première date (ISO 8601)"))
    fin = serializers.DateTimeField(help_text=_("Fin de la première date (ISO 8601)"))
    recurrence = serializers.CharField(
        help_text=_("Règle de récurrence iCalendar (RFC 5545), vide pour une seule date")
    )
    dates_sautees = serializers.CharField(
        help_text=_("Jours où la règle ne s'applique pas (AAAA-MM-JJ, séparés par des espaces)")
    )
    statut = serializers.ChoiceField(Event.Status.choices, help_text=_("Statut"))
    lieu = serializers.CharField(help_text=_("Nom du lieu (vide pour un évènement de réseau)"))
    lieu_url = serializers.CharField(help_text=_("Page du lieu (vide sans lieu)"))
    etape = serializers.CharField(help_text=_("Étape d'un lieu itinérant (vide sinon)"))
    reseau = serializers.CharField(help_text=_("Code du réseau organisateur (vide sinon)"))
    commune_insee = serializers.CharField(
        help_text=_("Code INSEE de la commune (vide si inconnue)")
    )
    latitude = serializers.FloatField(allow_null=True, help_text=_("Latitude (WGS 84)"))
    longitude = serializers.FloatField(allow_null=True, help_text=_("Longitude (WGS 84)"))
    publics = serializers.CharField(help_text=_("Publics, par code, séparés par des espaces"))
    gratuit = serializers.BooleanField(
        allow_null=True,
        help_text=_("Vrai pour un évènement gratuit, faux pour un payant, nul si rien n'est dit"),
    )
    tarifs = serializers.CharField(help_text=_("Tarifs"))
    accessibilite = serializers.ChoiceField(
        Place.Accessibility.choices, help_text=_("Accessibilité")
    )
    inscription = serializers.ChoiceField(Event.Registration.choices, help_text=_("Inscription"))
    inscription_url = serializers.CharField(help_text=_("Adresse où s'inscrire (vide sinon)"))
    places_limite = serializers.IntegerField(
        allow_null=True, help_text=_("Nombre de places (null : sans limite)")
    )
    modifie_le = serializers.DateTimeField(help_text=_("Dernière modification (ISO 8601)"))
    dates = DateSerializer(
        many=True,
        help_text=_(
            "Ses dates : dans la période cherchée pour la liste, dans l'année qui vient pour un "
            "évènement"
        ),
    )


class EventAnswerSerializer(EventSerializer):
    __doc__ = _("Un évènement, avec la licence des données et la date de la réponse.")

    license = LicenceField(help_text=PROVENANCE["license"]["description"])
    generated_at = serializers.DateTimeField(help_text=PROVENANCE["generated_at"]["description"])


class EventPages(PlacePages):
    found = _("Évènements trouvés")
    per_page = _("Évènements par page")


class EventFilterBackend(PlaceFilterBackend):
    """The agenda's one EventFilter as the API's filter backend, its filters typed in the
    document as the places' are (opendata.api.filtering)."""


class EventFilterParameters(PlaceFilterParameters):
    target_class = EventFilterBackend


def with_dates(event, dates):
    return {
        **record(event),
        "dates": [
            {"debut": local(date.start).isoformat(), "fin": local(date.end).isoformat()}
            for date in dates
        ],
    }


def dates_by_event(events, start, end):
    """{pk: its dates in [start, end)} of these events (from the table of occurrences)."""
    found = {}
    for date in events.dates(start, end):
        found.setdefault(date.event.pk, []).append(date)
    return found


def etag(request, *args, **kwargs):
    """Same events, same parameters, same language, same day (the window starts today)."""
    query = "&".join(sorted(f"{key}={value}" for key, value in request.GET.items()))
    return freshness.etag(request, query, timezone.localdate().isoformat())


unchanged_since = method_decorator(
    condition(etag_func=etag, last_modified_func=validated_since), name="get"
)


@list_schema(
    _("Liste des évènements, avec les filtres de l'agenda"),
    _(
        "Les évènements qui ont une date dans la période cherchée (par défaut les quatre "
        "semaines qui viennent), avec les filtres de la page « Agenda », par ordre de "
        "première date, une page à la fois."
    ),
    EventSerializer,
    _("Une page d'évènements"),
)
@unchanged_since
class EventList(OpenToAll, generics.ListAPIView):
    queryset = Event.objects.published()
    serializer_class = EventSerializer
    filter_backends = [EventFilterBackend]
    filterset_class = EventFilter
    pagination_class = EventPages

    def list(self, request, *args, **kwargs):
        events = EventFilterBackend().get_filterset(request, self.get_queryset(), self)
        refuse_invalid(events)
        window = events.window
        ids = self.paginate_queryset(list(events.matching(events.queryset).first_dates(*window)))
        found = Event.objects.filter(pk__in=ids).with_page_data().in_bulk()
        dates = dates_by_event(Event.objects.filter(pk__in=ids), *window)
        page = [with_dates(found[pk], dates.get(pk, [])) for pk in ids]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@detail_schema(
    _("Un évènement, par son identifiant ou son adresse"),
    _(
        "Un évènement publié, même passé, par son identifiant (id) ou l'identifiant de sa "
        "page (slug), avec ses dates de l'année qui vient."
    ),
    EventAnswerSerializer,
    _("L'évènement"),
    _("Aucun évènement publié n'a cet identifiant"),
    parameters=[
        OpenApiParameter(
            "key",
            str,
            OpenApiParameter.PATH,
            description=_("L'identifiant (id) de l'évènement, ou celui de sa page (slug)"),
        )
    ],
)
@unchanged_since
class EventDetail(OpenToAll, generics.RetrieveAPIView):
    queryset = Event.objects.published()
    serializer_class = EventAnswerSerializer
    lookup_field = "key"

    def retrieve(self, request, *args, **kwargs):
        key = kwargs["key"]
        try:
            lookup = {"uid": uuid.UUID(key)}
        except ValueError:
            lookup = {"slug": key}
        event = self.get_queryset().with_page_data().filter(**lookup).first()
        if event is None:
            raise NotFound(_("Aucun évènement publié n'a cet identifiant."))
        now = timezone.now()
        dates = Event.objects.filter(pk=event.pk).dates(now, now + MAX_WINDOW)
        answer = {**with_dates(event, dates), **provenance()}
        return Response(self.get_serializer(answer).data)
