"""The network's figures for coordinators: per room and month of a year, requests, how many were
accepted, the average time to answer and the hours booked. A fixed number of queries, whatever
the number of rooms and requests: the database counts."""

from datetime import datetime, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from places.models import Place, Room

from .bookings import LOCAL_TIME
from .models import SLOT, BookedSlot, RoomRequest

FIRST_YEAR = 2020


def year_asked(value):
    this_year = timezone.localdate().year
    if not value:
        return this_year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if FIRST_YEAR <= year <= this_year + 1 else None


def years():
    return list(range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1))


def figures(year):
    """Rows (place, room, month, requests, accepted, refused, expired, cancelled, answer hours,
    booked hours) for each room and month with a request, and the year's totals."""
    start = datetime(year, 1, 1, tzinfo=LOCAL_TIME)
    end = datetime(year + 1, 1, 1, tzinfo=LOCAL_TIME)
    month = ExtractMonth("start", tzinfo=LOCAL_TIME)
    answer = ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
    answered = Q(status__in=[RoomRequest.Status.ACCEPTED, RoomRequest.Status.REFUSED])
    counts = (
        RoomRequest.objects.filter(start__gte=start, start__lt=end)
        .annotate(month=month)
        .values("room_id", "month")
        .annotate(
            requests=Count("pk"),
            **{
                status: Count("pk", filter=Q(status=status))
                for status in ("accepted", "refused", "expired", "cancelled")
            },
            answer=Avg(answer, filter=answered),
        )
        .order_by()
    )
    booked = {
        (row["room_id"], row["month"]): row["slots"]
        for row in BookedSlot.objects.filter(start__gte=start, start__lt=end)
        .annotate(month=month)
        .values("room_id", "month")
        .annotate(slots=Count("pk"))
        .order_by()
    }
    counted = list(counts)
    rooms = Room.objects.select_related("place").in_bulk({row["room_id"] for row in counted})
    rows = []
    for row in counted:
        room = rooms[row["room_id"]]
        rows.append(
            {
                **row,
                "room": room,
                "place": room.place,
                "answer_hours": _hours(row["answer"]),
                "booked_hours": booked.get((row["room_id"], row["month"]), 0) * _slot_hours(),
                "rate": _rate(row["accepted"], row["accepted"] + row["refused"]),
                "month_label": f"{year}-{row['month']:02d}",
            }
        )
    rows.sort(key=lambda row: (row["place"].name, row["room"].name, row["month"]))
    whole = RoomRequest.objects.filter(start__gte=start, start__lt=end).aggregate(
        requests=Count("pk"),
        accepted=Count("pk", filter=Q(status="accepted")),
        refused=Count("pk", filter=Q(status="refused")),
        answer=Avg(answer, filter=answered),
    )
    totals = {
        **whole,
        "rate": _rate(whole["accepted"], whole["accepted"] + whole["refused"]),
        "answer_hours": _hours(whole["answer"]),
        "booked_hours": sum(booked.values()) * _slot_hours(),
    }
    return rows, totals


USE_PERIOD = timedelta(days=365)


def epci_use(epci):
    """A communauté de communes' page section (places.extensions.epci_page), for its officials:
    the rooms its places lend, and how much each was asked for and booked over the past year.
    Three queries, whatever the number of rooms and requests."""
    now = timezone.now()
    since = now - USE_PERIOD
    places = Place.objects.active().in_epci(epci).values("pk")
    rooms = list(
        Room.objects.filter(bookable=True, place__in=places)
        .select_related("place")
        .order_by("place__name", "name")
    )
    asked = {
        row["room_id"]: row
        for row in RoomRequest.objects.filter(room__in=rooms, start__gte=since, start__lt=now)
        .values("room_id")
        .annotate(requests=Count("pk"), accepted=Count("pk", filter=Q(status="accepted")))
        .order_by()
    }
    booked = dict(
        BookedSlot.objects.filter(room__in=rooms, start__gte=since, start__lt=now)
        .values("room_id")
        .annotate(slots=Count("pk"))
        .order_by()
        .values_list("room_id", "slots")
    )
    rows = [
        {
            "room": room,
            "requests": asked.get(room.pk, {}).get("requests", 0),
            "accepted": asked.get(room.pk, {}).get("accepted", 0),
            "booked_hours": booked.get(room.pk, 0) * _slot_hours(),
        }
        for room in rooms
    ]
    return {"epci": epci, "rows": rows}


def _slot_hours():
    return SLOT / timedelta(hours=1)


def _hours(duration):
    if duration is None:
        return None
    if not isinstance(duration, timedelta):
        duration = timedelta(microseconds=duration)
    return round(duration / timedelta(hours=1), 1)


def _rate(part, whole):
    return round(100 * part / whole) if whole else None


def csv_header():
    return [
        _("lieu"),
        _("salle"),
        _("mois"),
        _("demandes"),
        _("acceptées"),
        _("refusées"),
        _("expirées"),
        _("annulées"),
        _("taux d'acceptation (%)"),
        _("délai moyen de réponse (heures)"),
        _("heures réservées"),
    ]


def csv_rows(rows):
    return (
        (
            row["place"].name,
            row["room"].name,
            row["month_label"],
            row["requests"],
            row["accepted"],
            row["refused"],
            row["expired"],
            row["cancelled"],
            row["rate"],
            row["answer_hours"],
            row["booked_hours"],
        )
        for row in rows
    )
