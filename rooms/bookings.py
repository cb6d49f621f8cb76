"""Asking for a room, and the place's answer: each step in a transaction, each step an e-mail.

When a room may be asked for is the rule of `free_q()` and `check()`, said once: the slot is to
come, on the half-hour, for no more people than the room holds, within its hours (its own or its
place's, seasons included: places.hours), outside its closed periods, and none of its half-hours
is booked. A room with no hours of its own nor its place's may be asked for at any time, but is
never accepted automatically: its place answers.

Accepting writes the request's half-hours into `BookedSlot` in the transaction holding the room's
row (`select_for_update`): two acceptances of overlapping requests are served one after the other,
and the second finds the slot taken. Were the lock ever missed, the table's unique (room, start)
refuses the second all the same, on PostgreSQL as on SQLite: its IntegrityError is the same clear
refusal.

The e-mails carry signed links (django.core.signing, a salt for each audience): the requester's to
cancel, the place's to answer. Opening a link changes nothing (mail scanners open links): its
page's buttons (POSTs) act.
"""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from places import hours
from places.models import Place, Room

from .models import SLOT, BookedSlot, ClosedPeriod, RoomRequest

LOCAL_TIME = hours.LOCAL_TIME
MAX_TOKEN_LENGTH = 300
# The longest request: a day and a half of half-hours is enough for a meeting or a seminar day.
MAX_LENGTH = timedelta(hours=14)
# How far ahead a room may be asked for.
MAX_AHEAD = timedelta(days=366)
SALTS = {
    "requester": "solozere.rooms.request.requester",
    "place": "solozere.rooms.request.place",
    "calendar": "solozere.rooms.calendar",
}


class Refused(Exception):
    """A step that cannot be taken, with the reason to show."""


def one_line(text):
    """The text on one line: nothing typed can add a header to an e-mail."""
    return " ".join(str(text).split())


def local(moment):
    return moment.astimezone(LOCAL_TIME)


def half_hours(start, end):
    """The starts of the half-hours from `start` to `end`."""
    found, cursor = [], start
    while cursor < end:
        found.append(cursor)
        cursor += SLOT
    return found


def on_the_half_hour(moment):
    return moment.second == 0 and moment.microsecond == 0 and moment.minute in (0, 30)


# When a room is free


def busy_q(start, end):
    """Rooms with a booked half-hour between `start` and `end` (an EXISTS)."""
    return Exists(BookedSlot.objects.filter(room=OuterRef("pk"), start__gte=start, start__lt=end))


def closed_q(start, end):
    """Rooms closed some day between `start` and `end` (an EXISTS)."""
    first, last = local(start).date(), local(end - timedelta(microseconds=1)).date()
    return Exists(
        ClosedPeriod.objects.filter(room=OuterRef("pk"), first_day__lte=last, last_day__gte=first)
    )


def open_rules(rooms, start, end):
    """The hours, among those of these rooms (their own or their place's), open throughout
    `start`–`end`: each distinct expression read once (one query), however many rooms share it."""
    expressions = (
        rooms.with_rules()
        .exclude(rules_text="")
        .order_by()
        .values_list("rules_text", flat=True)
        .distinct()
    )
    return [rule for rule in expressions if hours.open_throughout(rule, start, end)]


def free_q(rooms, start, end):
    """The condition keeping, of `rooms`, those that may be asked for from `start` to `end`."""
    rules = open_rules(rooms, start, end)
    return (
        (Q(rules_text="") | Q(rules_text__in=rules)) & ~busy_q(start, end) & ~closed_q(start, end)
    )


def check(room, start, end, people, now=None):
    """Refused, with the reason, unless the room may be asked for then by that many people."""
    now = now or timezone.now()
    if end <= start:
        raise Refused(_("La fin du créneau vient avant son début."))
    if start <= now:
        raise Refused(_("Ce créneau est passé : choisissez une date à venir."))
    if start - now > MAX_AHEAD:
        raise Refused(_("Une salle se demande au plus un an à l'avance."))
    if not (on_the_half_hour(local(start)) and on_the_half_hour(local(end))):
        raise Refused(_("Un créneau commence et finit à l'heure ou à la demie."))
    if end - start > MAX_LENGTH:
        raise Refused(_("Un créneau dure au plus 14 heures."))
    if room.capacity is not None and people > room.capacity:
        raise Refused(
            _("Cette salle accueille au plus %(capacity)s personnes.") % {"capacity": room.capacity}
        )
    if room.rules and not hours.open_throughout(room.rules, start, end):
        raise Refused(_("Cette salle ne se demande pas à ces heures-là : voyez ses horaires."))
    rooms = Room.objects.filter(pk=room.pk)
    if rooms.filter(closed_q(start, end)).exists():
        raise Refused(_("Cette salle est fermée ce jour-là."))
    if rooms.filter(busy_q(start, end)).exists():
        raise Refused(_("Ce créneau est déjà réservé : choisissez-en un autre."))


# The steps


def ask(room, start, end, people, **requester):
    """A new request, checked; accepted at once if the room says so. Its e-mails are sent."""
    with transaction.atomic():
        room = Room.objects.select_for_update().select_related("place").get(pk=room.pk)
        check(room, start, end, people)
        request = RoomRequest.objects.create(
            room=room,
            start=start,
            end=end,
            people=people,
            **{key: one_line(value) for key, value in requester.items()},
        )
        automatic = room.auto_accept and bool(room.rules)
        if automatic:
            _book(room, request)
    from . import emails

    if automatic:
        emails.accepted(request, automatic=True)
    else:
        emails.asked(request)
    return request


def _locked(request):
    """Inside a transaction: the room's row locked, then the request as it is now."""
    Room.objects.select_for_update().filter(pk=request.room_id).first()
    current = RoomRequest.objects.select_related("room__place").filter(pk=request.pk).first()
    if current is None:
        raise Refused(_("Cette demande n'existe plus."))
    return current


def _book(room, request):
    """Inside the room's lock: its half-hours booked, or Refused if one is taken."""
    if RoomRequest.objects.filter(pk=request.pk).exclude(status=RoomRequest.Status.ASKED).exists():
        raise Refused(_("Cette demande a déjà reçu une réponse."))
    taken = BookedSlot.objects.filter(
        room=room, start__gte=request.start, start__lt=request.end
    ).exists()
    try:
        if taken:
            raise IntegrityError
        with transaction.atomic():
            BookedSlot.objects.bulk_create(
                BookedSlot(request=request, room=room, start=start)
                for start in half_hours(request.start, request.end)
            )
    except IntegrityError:
        raise Refused(
            _("Ce créneau chevauche une réservation déjà acceptée : il ne peut pas être accepté.")
        ) from None
    request.status = RoomRequest.Status.ACCEPTED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])


def accept(request):
    """The place accepts: the slot is the requester's, who is told (with the .ics)."""
    with transaction.atomic():
        current = _locked(request)
        if current.status != RoomRequest.Status.ASKED:
            raise Refused(_("Cette demande a déjà reçu une réponse."))
        if current.start <= timezone.now():
            raise Refused(_("Ce créneau est passé."))
        _book(current.room, current)
    from . import emails

    emails.accepted(current)
    return current


def refuse(request, reason):
    """The place refuses, saying why; the requester is told."""
    reason = one_line(reason)
    if not reason:
        raise Refused(_("Indiquez le motif du refus."))
    with transaction.atomic():
        current = _locked(request)
        if current.status != RoomRequest.Status.ASKED:
            raise Refused(_("Cette demande a déjà reçu une réponse."))
        current.status = RoomRequest.Status.REFUSED
        current.reason = reason[:300]
        current.answered_at = timezone.now()
        current.save(update_fields=["status", "reason", "answered_at"])
    from . import emails

    emails.refused(current)
    return current


def cancel(request, side):
    """Cancelled by the requester or the place (`RoomRequest.Side`): its half-hours are free again,
    and the other side is told. Refused if it is over, already answered no, or past."""
    with transaction.atomic():
        current = _locked(request)
        if current.status not in (RoomRequest.Status.ASKED, RoomRequest.Status.ACCEPTED):
            raise Refused(_("Cette demande n'est plus en cours."))
        if current.end <= timezone.now():
            raise Refused(_("Ce créneau est passé."))
        current.slots.all().delete()
        current.status = RoomRequest.Status.CANCELLED
        current.cancelled_by = side
        current.save(update_fields=["status", "cancelled_by"])
    from . import emails

    emails.cancelled(current)
    return current


def expire(now=None):
    """Requests unanswered for ROOM_REQUEST_EXPIRY_DAYS, or whose slot has begun, expire; both
    sides are told. How many."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.SOLOZERE_ROOM_REQUEST_EXPIRY_DAYS)
    stale = RoomRequest.objects.filter(status=RoomRequest.Status.ASKED).filter(
        Q(created_at__lt=limit) | Q(start__lte=now)
    )
    from . import emails

    count = 0
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            updated = RoomRequest.objects.filter(pk=pk, status=RoomRequest.Status.ASKED).update(
                status=RoomRequest.Status.EXPIRED, answered_at=now
            )
        if updated:
            count += 1
            emails.expired(RoomRequest.objects.select_related("room__place").get(pk=pk))
    return count


def purge(now=None):
    """Erase who asked, ROOM_RETENTION_MONTHS after the booking: the request stays, anonymous,
    for the network's figures. How many."""
    now = now or timezone.now()
    limit = now - timedelta(days=round(settings.SOLOZERE_ROOM_RETENTION_MONTHS * 30.44))
    return RoomRequest.objects.filter(end__lt=limit, purged=False).update(
        name="", email="", phone="", organisation="", purpose="", reason="", purged=True
    )


# Signed links


def make_token(request, audience):
    return signing.dumps({"i": request.pk}, salt=SALTS[audience])


def open_link(token, audience):
    """The request a link was made for (None if it is gone); Refused if it is not one of ours."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise Refused(_("Ce lien n'est pas valide."))
    try:
        pk = int(signing.loads(token, salt=SALTS[audience])["i"])
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise Refused(_("Ce lien n'est pas valide.")) from None
    return RoomRequest.objects.select_related("room__place").filter(pk=pk).first()


def calendar_token(place):
    """The secret address of a place's bookings with their details, for its animateurs. It names
    who they are (`keepers`): when they change (one leaves the place or joins it, an account is
    closed), the address they had stops working, so someone who left reads no more; the place's
    animateurs find the new one on a request's page and in the next e-mail."""
    return signing.dumps({"p": place.pk, "k": keepers(place)}, salt=SALTS["calendar"])


def calendar_place(token):
    """The published place whose secret address `token` is, while its animateurs are those it
    was given to; else None."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=SALTS["calendar"])
        pk, key = int(data["p"]), str(data["k"])
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return None
    place = Place.objects.published().filter(pk=pk).first()
    return place if place is not None and key == keepers(place) else None


def keepers(place):
    """A short digest of the place's active animateurs (one query)."""
    pks = place.animateurs.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    return hashlib.sha256(".".join(map(str, pks)).encode()).hexdigest()[:16]


def moment(day, at):
    """A local day and time as an aware moment."""
    return datetime.combine(day, at, tzinfo=LOCAL_TIME)
