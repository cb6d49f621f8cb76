"""The agenda as open data: one row per event (a series is one row with its rule), as CSV and
JSON, with the page's filters; its iCalendar is /agenda.ics. Listed on /donnees/ and in the DCAT
catalogue through opendata.distributions."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from places.csvfiles import STANDARD, csv_response
from places.freshness import public_page
from places.links import absolute_url

from .recurrence import local
from .views import SEARCH_PARAMS, _bad_request, _coming, json_bad_request, search_events

COLUMNS = [
    "id",
    "url",
    "titre",
    "debut",
    "fin",
    "recurrence",
    "dates_sautees",
    "statut",
    "lieu",
    "lieu_url",
    "etape",
    "reseau",
    "commune_insee",
    "latitude",
    "longitude",
    "publics",
    "gratuit",
    "tarifs",
    "accessibilite",
    "inscription",
    "inscription_url",
    "places_limite",
    "modifie_le",
]


def record(event):
    """An event as plain values, keyed by COLUMNS."""
    point = event.coordinates or (None, None)
    commune = event.commune or (event.stop.commune if event.stop else None)
    if commune is None and event.place is not None:
        commune = event.place.commune
    return dict(
        zip(
            COLUMNS,
            [
                str(event.uid),
                absolute_url(event.get_absolute_url()),
                event.title,
                local(event.start).isoformat(),
                local(event.end).isoformat(),
                event.rule,
                " ".join(event.exceptions.split()),
                event.status,
                event.place.name if event.place else "",
                absolute_url(event.place.get_absolute_url()) if event.place else "",
                str(event.stop) if event.stop else "",
                event.network.code if event.network else "",
                commune.insee if commune else "",
                point[0],
                point[1],
                " ".join(audience.code for audience in event.audiences.all()),
                event.free,
                event.price_note,
                event.accessibility,
                event.registration,
                event.registration_url,
                event.registration_limit,
                local(event.updated_at).isoformat(),
            ],
            strict=True,
        )
    )


def _records(request):
    events, valid = search_events(request)
    if not valid:
        return None, _bad_request(events)
    asked = {"when", "start", "end"} & set(events.form.data)
    matching = events.qs if asked else _coming(events)
    return [record(event) for event in matching.with_page_data()], None


@require_GET
@public_page(SEARCH_PARAMS)
def events_csv(request):
    rows, error = _records(request)
    if error:
        return error
    return csv_response(
        "evenements.csv",
        COLUMNS,
        ([row[name] for name in COLUMNS] for row in rows),
        STANDARD,
        verbatim={"url", "lieu_url", "inscription_url"},
    )


@require_GET
@public_page(SEARCH_PARAMS)
def events_json(request):
    events, valid = search_events(request)
    if not valid:
        return json_bad_request(events)
    rows, _error = _records(request)
    response = JsonResponse({"evenements": rows}, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
