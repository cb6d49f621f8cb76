"""Each step of a request, told by e-mail: the requester (with the cancel link; the .ics once
accepted) and the place's animateurs (with the link to answer), or the place's own address when it
has no animateur with one. Subjects and bodies hold only typed text made one line
(bookings.one_line)."""

import icalendar
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from agenda.recurrence import calendar
from places.links import absolute_url

from . import bookings
from .models import RoomRequest


def place_addresses(place):
    """The place's active animateurs (bookings.keepers: a closed account hears nothing more)."""
    found = sorted({user.email for user in place.animateurs.all() if user.email and user.is_active})
    return found or ([place.email] if place.email else [])


def booking_component(request, detailed):
    """The booking as a VEVENT: busy time only, or with who and why (for the place)."""
    room, place = request.room, request.room.place
    component = icalendar.Event()
    component.add("uid", f"salle-{request.pk}@solozere")
    component.add("dtstart", bookings.local(request.start))
    component.add("dtend", bookings.local(request.end))
    component.add("dtstamp", request.created_at)
    component.add("location", f"{room.name}, {place.name}")
    if detailed:
        who = ", ".join(part for part in (request.name, request.organisation) if part)
        component.add("summary", f"{request.purpose} — {who}" if who else request.purpose)
        lines = [
            _("%(count)s personnes") % {"count": request.people},
            request.email,
            request.phone,
        ]
        component.add("description", "\n".join(line for line in lines if line))
    else:
        component.add("summary", _("Occupée"))
        component.add("transp", "OPAQUE")
    return component


def booking_ics(request, detailed=False):
    return calendar([booking_component(request, detailed)], request.room.name).to_ical()


def _context(request):
    room, place = request.room, request.room.place
    return {
        "request": request,
        "room": one(room.name),
        "place": one(place.name),
        "name": one(request.name),
        "start": bookings.local(request.start),
        "end": bookings.local(request.end),
        "place_url": absolute_url(place.get_absolute_url()),
        "cancel_url": absolute_url(
            reverse("rooms:cancel", args=[bookings.make_token(request, "requester")])
        ),
        "answer_url": absolute_url(
            reverse("rooms:answer", args=[bookings.make_token(request, "place")])
        ),
        "calendar_url": absolute_url(
            reverse("rooms:private-ics", args=[bookings.calendar_token(place)])
        ),
    }


def one(text):
    return bookings.one_line(text)


def _send(request, to, template, subject, step, with_ics=False):
    if not to:
        return
    context = {**_context(request), "step": step}
    title = one(subject % {"room": context["room"], "place": context["place"]})[:200]
    message = EmailMessage(title, render_to_string(template, context), to=to)
    if with_ics:
        message.attach("salle.ics", booking_ics(request), "text/calendar")
    message.send()


def _requester(request, subject, step, with_ics=False):
    if request.email:
        _send(request, [request.email], "rooms/requester_email.txt", subject, step, with_ics)


def _place(request, subject, step):
    _send(request, place_addresses(request.room.place), "rooms/place_email.txt", subject, step)


def asked(request):
    _requester(request, _("Demande reçue : %(room)s, %(place)s"), "asked")
    _place(request, _("Nouvelle demande : %(room)s"), "asked")


def accepted(request, automatic=False):
    _requester(request, _("Demande acceptée : %(room)s, %(place)s"), "accepted", with_ics=True)
    _place(
        request, _("Réservation confirmée : %(room)s"), "auto-accepted" if automatic else "accepted"
    )


def refused(request):
    _requester(request, _("Demande refusée : %(room)s, %(place)s"), "refused")


def expired(request):
    _requester(request, _("Demande sans réponse : %(room)s, %(place)s"), "expired")
    _place(request, _("Demande expirée : %(room)s"), "expired")


def cancelled(request):
    if request.cancelled_by == RoomRequest.Side.REQUESTER:
        _place(request, _("Demande annulée par le demandeur : %(room)s"), "cancelled")
        _requester(request, _("Annulation enregistrée : %(room)s, %(place)s"), "cancelled")
    else:
        _requester(request, _("Réservation annulée par le lieu : %(room)s, %(place)s"), "cancelled")
