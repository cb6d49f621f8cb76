"""Registering for a date of an event on Solozère: a seat, or the waiting list when it is full.

Every change of an event's registrations happens in a transaction holding the event's row
(`select_for_update`): two visitors taking the last seat at once are served one after the other,
and exactly one gets it; a seat freed by a cancellation goes to the first person waiting.

A registration is for one date of a series, known by the day the rule gave it (RFC 5545's
RECURRENCE-ID): when that date moves, the registration follows it; when it no longer takes place,
or the event is cancelled or postponed, the people registered are told (`follow`).

The confirmation e-mail carries the date as an iCalendar file and a link to cancel; the link
needs no password: it carries the registration, signed with the site's SECRET_KEY
(django.core.signing, with a salt of its own). Opening it changes nothing (mail scanners open
links): its page's button (a POST) cancels.
"""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from places.links import absolute_url

from . import recurrence
from .models import Event, EventChange, Registration

SALT = "solozere.agenda.registration.cancel"
MAX_TOKEN_LENGTH = 300


class Refused(Exception):
    """A registration that cannot be taken, with the reason to show."""


def one_line(text):
    """The text on one line: nothing typed can add a header to an e-mail."""
    return " ".join(str(text).split())


# Seats


def upcoming(event, now=None):
    """The dates one may still register for: those not begun yet."""
    now = now or timezone.now()
    return [o for o in event.occurrences(now, now + recurrence.MAX_WINDOW) if o.start > now]


def taken_seats(event):
    """{occurrence start: confirmed registrations}, in one query."""
    rows = (
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .values("occurrence")
        .annotate(count=Count("pk"))
    )
    return {row["occurrence"]: row["count"] for row in rows}


def is_full(event, confirmed):
    """Whether a date with this many confirmed registrations has no seat left."""
    return event.registration_limit is not None and confirmed >= event.registration_limit


def _touch(event):
    # The event's page says whether a date is full: it must not be served from before.
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())


def register(event, occurrence_start, name, email="", phone=""):
    """A seat for the date, or a place on its waiting list if it is full; Refused otherwise."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.takes_registrations:
            raise Refused(_("Les inscriptions à cet évènement sont closes."))
        if occurrence_start not in {o.start for o in upcoming(event)}:
            raise Refused(_("Cette date est passée ou n'est pas l'une de l'évènement."))
        same_date = Registration.objects.filter(event=event, occurrence=occurrence_start)
        same_person = Q(email__iexact=email) if email else Q(pk__in=[])
        same_person |= Q(phone=phone) if phone else Q(pk__in=[])
        if same_date.filter(same_person).exists():
            raise Refused(_("Vous êtes déjà inscrit à cette date."))
        full = is_full(event, same_date.filter(status=Registration.Status.CONFIRMED).count())
        registration = Registration.objects.create(
            event=event,
            occurrence=occurrence_start,
            name=one_line(name),
            email=email,
            phone=phone,
            status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
            rule_day=rule_day(event, occurrence_start),
        )
        _touch(event)
    send_news(registration)
    return registration


def cancel(registration):
    """Cancel the registration; a seat it frees goes to the first person waiting, who is told.
    False if it was already cancelled."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.filter(pk=registration.pk).first()
        if current is None:
            return False
        current.delete()
        promoted = None
        if current.status == Registration.Status.CONFIRMED:
            promoted = promote(event, current.occurrence)
        _touch(event)
    if promoted is not None:
        tell(promoted, Registration.News.PROMOTED)
    return True


def promote(event, occurrence_start):
    """Inside the event's lock: the first person waiting takes a free seat, if there is one."""
    dates = Registration.objects.filter(event=event, occurrence=occurrence_start)
    if is_full(event, dates.filter(status=Registration.Status.CONFIRMED).count()):
        return None
    first = dates.filter(status=Registration.Status.WAITING).order_by("created_at", "pk").first()
    if first is not None:
        first.status = Registration.Status.CONFIRMED
        first.save(update_fields=["status"])
    return first


def fill_free_seats(event):
    """After the limit was raised (or removed): people waiting take the seats now free, in
    order, and are told. How many."""
    promoted = []
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITING)
        for occurrence in waiting.values_list("occurrence", flat=True).distinct():
            while (found := promote(event, occurrence)) is not None:
                promoted.append(found)
        if promoted:
            _touch(event)
    for registration in promoted:
        tell(registration, Registration.News.PROMOTED)
    return len(promoted)


def purge(now=None):
    """Delete the registrations of dates past REGISTRATION_RETENTION_DAYS: how many."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.SOLOZERE_REGISTRATION_RETENTION_DAYS)
    deleted, _by_model = Registration.objects.filter(occurrence__lt=limit).delete()
    return deleted


# Following the dates


def rule_day(event, start):
    """The day the rule gave for the date beginning at `start`: a moved date's own day."""
    for change in event.changes.all():
        if change.start == start:
            return change.date
    return recurrence.local(start).date()


def start_now(event, day, changes, skipped):
    """When the date the rule gave on `day` begins now; None if it no longer takes place."""
    if not event.rule:
        return event.start
    if day in changes:
        return changes[day].start
    if day in skipped or not recurrence.is_occurrence_day(event, day):
        return None
    return recurrence.at_start_time(day, event.start)


STATUS_NEWS = {
    Event.Status.CANCELLED: Registration.News.CANCELLED,
    Event.Status.POSTPONED: Registration.News.POSTPONED,
}


def follow(event, status_before=None, now=None):
    """In the transaction that changed the event or one of its dates: the registrations for dates
    to come follow their dates, and the people concerned are told, by e-mail once it is saved, or
    named to the animateurs to phone them: a date moved, the event cancelled or postponed, a date
    no longer taking place (its registrations then go; those to phone stay until told)."""
    now = now or timezone.now()
    # Through the event's own manager, each registration shares this event (its place, its
    # stop), read once for all the e-mails.
    coming = event.registrations.filter(occurrence__gt=now, rule_day__isnull=False)
    if not coming.exists():
        return
    changes = {change.date: change for change in EventChange.objects.filter(event=event)}
    skipped = set(recurrence.parse_dates(event.exceptions))
    status_news = None if event.status == status_before else STATUS_NEWS.get(event.status)
    news = []
    for registration in coming:
        start = start_now(event, registration.rule_day, changes, skipped)
        if start is None:
            what = Registration.News.GONE
        elif start != registration.occurrence:
            what = Registration.News.MOVED
            registration.occurrence = start
        elif status_news:
            what = status_news
        else:
            continue
        news.append((registration, what))
        if what == Registration.News.GONE:
            if registration.email:
                registration.delete()
                continue
            registration.rule_day = None  # not followed any more
        if not registration.email:
            registration.to_tell = what
        registration.save(update_fields=["occurrence", "to_tell", "rule_day"])
    if news:
        _touch(event)
        transaction.on_commit(lambda: send_news_still_true(news))


def send_news_still_true(news):
    """Once the change is saved, send each piece of news still true: one save may move a date
    twice (a form changing the event's time and adding a changed date), and the person hears
    once, of where the date ended. A date gone, a cancellation, a postponement are always said."""
    kept = [registration.pk for registration, _what in news if registration.pk is not None]
    now_at = dict(Registration.objects.filter(pk__in=kept).values_list("pk", "occurrence"))
    for registration, what in news:
        moved_since = now_at.get(registration.pk) != registration.occurrence
        if what != Registration.News.MOVED or not moved_since:
            send_news(registration, what)


def tell(registration, news):
    """Tell the person what changed: by e-mail, or, with a phone only, the animateurs see it
    in the list of registrations, to phone them."""
    if registration.email:
        send_news(registration, news)
    else:
        Registration.objects.filter(pk=registration.pk).update(to_tell=news)


# The link


def make_token(registration):
    return signing.dumps({"i": registration.pk}, salt=SALT)


def open_link(token):
    """The registration a cancel link was made for; None if it is gone (already cancelled,
    or purged); Refused if the link is not one of ours."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise Refused(_("Ce lien d'annulation n'est pas valide."))
    try:
        data = signing.loads(token, salt=SALT)
        pk = int(data["i"])
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise Refused(_("Ce lien d'annulation n'est pas valide.")) from None
    return Registration.objects.select_related("event").filter(pk=pk).first()


# E-mails


def occurrence_ics(registration):
    """The date registered for, as a calendar file (the agenda's own iCalendar builder)."""
    event = registration.event
    if not event.is_recurring and not event.changes.exists():
        components = recurrence.vevents(event)
    else:
        component = icalendar.Event()
        event.describe_ical(component)
        start = recurrence.local(registration.occurrence)
        component["uid"] = f"{event.uid}-{start:%Y%m%dT%H%M}@solozere"
        component.add("dtstart", start)
        component.add("dtend", start + (event.end - event.start))
        components = [component]
    return recurrence.calendar(components, one_line(event.title)).to_ical()


SUBJECTS = {
    Registration.News.PROMOTED: gettext_lazy("Une place s'est libérée : %(title)s"),
    Registration.News.MOVED: gettext_lazy("Date changée : %(title)s"),
    Registration.News.GONE: gettext_lazy("Date supprimée : %(title)s"),
    Registration.News.CANCELLED: gettext_lazy("Évènement annulé : %(title)s"),
    Registration.News.POSTPONED: gettext_lazy("Évènement reporté : %(title)s"),
}
# News after which the person still has a date to come to, whose calendar file is attached.
DATED = {Registration.News.PROMOTED, Registration.News.MOVED}


def send_news(registration, news=None):
    """Tell the person where they stand, if they gave an e-mail address: registered or waiting
    (no news), or what changed since."""
    if not registration.email:
        return
    event = registration.event
    waiting = registration.status == Registration.Status.WAITING
    context = {
        "registration": registration,
        "event": event,
        "name": one_line(registration.name),
        "title": one_line(event.title),
        "when": recurrence.local(registration.occurrence),
        "where": one_line(event.where),
        "news": news or "",
        "waiting": waiting,
        "attached": not waiting and (not news or news in DATED),
        "event_url": absolute_url(event.get_absolute_url()),
        "cancel_url": registration.pk
        and absolute_url(reverse("agenda:cancel-registration", args=[make_token(registration)])),
    }
    if news:
        subject = SUBJECTS[news]
    elif waiting:
        subject = _("Liste d'attente : %(title)s")
    else:
        subject = _("Inscription confirmée : %(title)s")
    message = EmailMessage(
        one_line(subject % {"title": context["title"]})[:200],
        render_to_string("agenda/registration_email.txt", context),
        to=[registration.email],
    )
    if context["attached"]:
        message.attach(f"{event.slug}.ics", occurrence_ics(registration), "text/calendar")
    message.send()
