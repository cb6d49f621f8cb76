"""The freshness loop: reminders with a one-click « Toujours exact » link, and the coordination
told when two reminders go unanswered.

Each place whose page says « à vérifier » or « à reconfirmer » (places.verification) gets a
`Reminder`, e-mailed to each of its animateurs with a link of their own. The link needs no
password: it carries the reminder and the animateur, signed with the site's SECRET_KEY
(django.core.signing, with a salt of its own), so that it cannot be made up or altered; it expires
after REMINDER_DAYS and serves once (the reminder, once answered, says « déjà enregistré »).
Opening it changes nothing — mail scanners and link previews open links — it shows a page whose
button (a POST) records the confirmation, in the history under the animateur's name.

A reminder waits REMINDER_DAYS for an answer (its link lasts as long); then comes a second one,
and REMINDER_DAYS after that, the coordination is told, once. A place with nobody to write to (no
active animateur with an address) is named to the coordination in the same run instead, once per
period of its cadence (a `Reminder` marked `unreachable` keeps the date). Confirming the place in
any way (the link, « Les informations sont à jour », a date typed by a coordinator) answers its
reminders.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from places.links import absolute_url
from places.models import Place

from .models import Reminder
from .roles import COORDINATORS, can_edit_place

SALT = "solozere.reminders.still-accurate"
# A signed link is under a hundred characters; anything much longer is not one of ours, and is
# refused before any work.
MAX_TOKEN_LENGTH = 300
REASON = "Informations confirmées à jour"
REASON_BY_LINK = "Informations confirmées à jour (lien « Toujours exact » du rappel)"


def waiting_time():
    return timedelta(days=settings.SOLOZERE_REMINDER_DAYS)


# The link


def make_token(reminder, person):
    return signing.dumps({"r": reminder.pk, "u": person.pk}, salt=SALT)


class LinkRefused(Exception):
    """A link that cannot confirm anything: `kind` says why (« invalid », « expired »,
    « not-allowed »), `status` is the page's HTTP status."""

    STATUS = {"invalid": 400, "expired": 410, "not-allowed": 403}

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind
        self.status = self.STATUS[kind]


@dataclass
class Link:
    reminder: Reminder
    person: object

    @property
    def place(self):
        return self.reminder.place

    @property
    def expires_at(self):
        return self.reminder.sent_at + waiting_time()


def open_link(token):
    """The reminder and the animateur a « Toujours exact » link was made for, or LinkRefused."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise LinkRefused("invalid")
    try:
        data = signing.loads(token, salt=SALT, max_age=waiting_time())
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except (signing.BadSignature, ValueError):
        raise LinkRefused("invalid") from None
    reminder = Reminder.objects.select_related("place", "answered_by").filter(pk=data["r"]).first()
    person = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    if reminder is None or not reminder.place.is_listed:
        raise LinkRefused("invalid")
    if person is None or not can_edit_place(person, reminder.place):
        # Removed from the place, or the account closed, since the reminder was sent.
        raise LinkRefused("not-allowed")
    return Link(reminder, person)


def answer(link):
    """Record the confirmation a link was made for, once: False if it was already recorded."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=link.reminder.pk)
        if reminder.answered_at is not None:
            link.reminder = reminder
            return False
        # Locked: a form being saved at the same moment is not written over with old values.
        place = Place.objects.select_for_update().get(pk=reminder.place_id)
        record_confirmation(place, link.person, REASON_BY_LINK)
    link.reminder = Reminder.objects.select_related("place", "answered_by").get(pk=reminder.pk)
    return True


def record_confirmation(place, person, reason=REASON):
    """The place is confirmed today by `person`, and its reminders are answered."""
    place.confirm(by=person, reason=reason)
    place.reminders.unanswered().update(answered_at=timezone.now(), answered_by=person)


# The reminders


@dataclass
class Round:
    """What one run of the reminders does: the new reminders, the e-mail to each animateur (the
    reminders of their places), the places the coordination is told about, and the places with
    no animateur to write to that the coordination is told about in this run (`orphans`;
    `orphans_told` once they are)."""

    reminders: list = field(default_factory=list)
    letters: dict = field(default_factory=lambda: defaultdict(list))
    escalations: list = field(default_factory=list)
    orphans: list = field(default_factory=list)
    orphans_told: bool = False


def close_answered(today):
    """Reminders about places that no longer need confirming (confirmed in the back-office,
    closed, archived) stop waiting."""
    settled = Reminder.objects.unanswered().exclude(
        place__in=Place.objects.to_confirm(today).values("pk")
    )
    return settled.update(answered_at=timezone.now())


def plan(today, now):
    """Who is written to, and about what, on that day (nothing is sent or saved)."""
    waiting = Reminder.objects.unanswered().order_by("sent_at")
    places = Place.objects.to_confirm(today).prefetch_related(
        "animateurs", Prefetch("reminders", queryset=waiting, to_attr="unanswered")
    )
    round = Round()
    for place in places:
        place.waiting = [reminder for reminder in place.unanswered if not reminder.unreachable]
        notices = [reminder for reminder in place.unanswered if reminder.unreachable]
        if place.waiting and place.waiting[-1].sent_at > now - waiting_time():
            continue  # the last reminder still waits for its answer
        if len(place.waiting) >= 2:
            if not any(reminder.escalated_at for reminder in place.waiting):
                round.escalations.append(place)
            continue
        people = [person for person in place.animateurs.all() if person.email and person.is_active]
        if not people:
            period = relativedelta(months=place.review_months)
            if not notices or notices[-1].sent_at <= now - period:
                round.orphans.append(place)
            continue
        reminder = Reminder(place=place, sent_at=now)
        round.reminders.append(reminder)
        for person in people:
            round.letters[person].append(reminder)
    return round


def send(round, now):
    """Save the round's reminders, e-mail them, and tell the coordination about the places
    asked twice in vain (once: if nobody can be told, they are told at a later run) and about
    those nobody could be asked (once a cadence period, likewise)."""
    for reminder in round.reminders:
        reminder.save()
    with translation.override(settings.LANGUAGE_CODE):
        for person, reminders in round.letters.items():
            context = {
                "name": person.get_full_name() or person.get_username(),
                "items": [_item(reminder, person) for reminder in reminders],
                "days": settings.SOLOZERE_REMINDER_DAYS,
            }
            subject = render_to_string("backoffice/reminder_subject.txt", context).strip()
            body = render_to_string("backoffice/reminder_email.txt", context)
            send_mail(subject, body, None, [person.email])
        told = bool(round.escalations) and _tell_coordination(round.escalations)
        round.orphans_told = bool(round.orphans) and _tell_about_orphans(round.orphans)
    if round.orphans_told:
        Reminder.objects.bulk_create(
            Reminder(place=place, sent_at=now, escalated_at=now, unreachable=True)
            for place in round.orphans
        )
    if told:
        last = [place.waiting[-1].pk for place in round.escalations]
        Reminder.objects.filter(pk__in=last).update(escalated_at=now)
    return told


def _item(reminder, person):
    place = reminder.place
    return {
        "place": place,
        "page": absolute_url(place.get_absolute_url()),
        "confirm": absolute_url(
            reverse("backoffice:still-accurate", args=[make_token(reminder, person)])
        ),
        "edit": absolute_url(reverse("admin:places_place_change", args=[place.pk])),
    }


def coordination_recipients():
    """COORDINATION_EMAIL, or else every active coordinator's address."""
    if settings.SOLOZERE_COORDINATION_EMAIL:
        return [settings.SOLOZERE_COORDINATION_EMAIL]
    coordinators = (
        get_user_model().objects.filter(groups__name=COORDINATORS, is_active=True).exclude(email="")
    )
    return sorted(set(coordinators.values_list("email", flat=True)))


def _tell_coordination(places):
    recipients = coordination_recipients()
    if not recipients:
        return False
    context = {
        "places": [
            {
                "place": place,
                "sent": [reminder.sent_at for reminder in place.waiting],
                "animateurs": [person.email for person in place.animateurs.all() if person.email],
                "edit": absolute_url(reverse("admin:places_place_change", args=[place.pk])),
            }
            for place in places
        ]
    }
    subject = render_to_string("backoffice/escalation_subject.txt", context).strip()
    body = render_to_string("backoffice/escalation_email.txt", context)
    send_mail(subject, body, None, recipients)
    return True


def _tell_about_orphans(places):
    recipients = coordination_recipients()
    if not recipients:
        return False
    context = {
        "places": [
            {
                "place": place,
                "animateurs": [
                    person.get_username() for person in place.animateurs.all() if person.is_active
                ],
                "edit": absolute_url(reverse("admin:places_place_change", args=[place.pk])),
            }
            for place in places
        ]
    }
    subject = render_to_string("backoffice/unreachable_subject.txt", context).strip()
    body = render_to_string("backoffice/unreachable_email.txt", context)
    send_mail(subject, body, None, recipients)
    return True
