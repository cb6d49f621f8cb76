"""An event of a place, of a stop of an itinerant place, or of a network."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from places.links import absolute_url
from places.models import Audience, Network, Place, Stop
from places.models.photo import validate_photo
from places.rendering import plain_text, render_markdown
from territory.models import Commune, Tracked

from .. import recurrence
from ..managers import EventQuerySet


class Event(Tracked):
    """A date (or a series of dates) in the life of a place: a workshop, a breakfast debate, the
    Tiers-Truck on market day. It belongs to a place (possibly at one of its stops) or to a
    network."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("prévu")
        CANCELLED = "cancelled", _("annulé")
        POSTPONED = "postponed", _("reporté")

    class Registration(models.TextChoices):
        NONE = "none", _("sans inscription")
        ON_SITE = "on_site", _("inscription sur place")
        ONLINE = "online", _("inscription en ligne")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(
        _("identifiant d'adresse"),
        max_length=220,
        unique=True,
        blank=True,
        help_text=_("Utilisé dans l'adresse de la page ; déduit du titre s'il est laissé vide."),
    )
    uid = models.UUIDField(_("identifiant iCalendar"), default=uuid.uuid4, editable=False)
    place = models.ForeignKey(
        Place,
        verbose_name=_("lieu"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    stop = models.ForeignKey(
        Stop,
        verbose_name=_("étape"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Pour un lieu itinérant : l'étape où se tient l'évènement."),
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("réseau"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Un évènement d'un réseau plutôt que d'un lieu."),
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Où se tient un évènement de réseau (celui d'un lieu est au lieu)."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Mise en forme Markdown simple.")
    )
    # The description as plain text, written at each save: what calendars publish, read without
    # rendering the Markdown of each event at each request.
    description_text = models.TextField(blank=True, editable=False)
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    rule = models.CharField(
        _("récurrence"),
        max_length=300,
        blank=True,
        help_text=_(
            "Règle iCalendar (RFC 5545), par exemple FREQ=WEEKLY;BYDAY=TU (chaque mardi) ou "
            "FREQ=MONTHLY;BYDAY=1TU (le premier mardi du mois). Vide : une seule date."
        ),
    )
    exceptions = models.TextField(
        _("dates sautées"),
        blank=True,
        help_text=_("Les jours où la règle ne s'applique pas, un par ligne (AAAA-MM-JJ)."),
    )
    last_end = models.DateTimeField(_("fin de la dernière date"), null=True, editable=False)
    audiences = models.ManyToManyField(Audience, verbose_name=_("publics"), blank=True)
    free = models.BooleanField(
        _("gratuit"), null=True, blank=True, help_text=_("Laisser « Inconnu » si rien n'est dit.")
    )
    price_note = models.CharField(_("tarifs"), max_length=300, blank=True)
    accessibility = models.CharField(
        _("accessibilité"),
        max_length=10,
        choices=Place.Accessibility.choices,
        default=Place.Accessibility.UNKNOWN,
    )
    accessibility_note = models.CharField(
        _("précisions d'accessibilité"), max_length=300, blank=True
    )
    registration = models.CharField(
        _("inscription"), max_length=10, choices=Registration.choices, default=Registration.NONE
    )
    registration_url = models.URLField(
        _("adresse d'inscription"),
        blank=True,
        help_text=_("Vide, avec l'inscription en ligne : on s'inscrit sur Solozère."),
    )
    registration_limit = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("Vide : sans limite. Par date, pour un évènement qui se répète."),
    )
    registration_closed = models.BooleanField(
        _("inscriptions closes"),
        default=False,
        help_text=_("Plus personne ne peut s'inscrire sur Solozère (ni en liste d'attente)."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    image = models.ImageField(
        _("image"), upload_to="agenda/", blank=True, validators=[validate_photo]
    )
    image_alt = models.CharField(_("description de l'image"), max_length=250, blank=True)
    published = models.BooleanField(
        _("publié"), default=True, help_text=_("Une proposition du public attend d'être publiée.")
    )
    contact_email = models.EmailField(
        _("courriel de contact"),
        blank=True,
        help_text=_("Celui de qui a proposé l'évènement : jamais publié, sert à lui répondre."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    # An event read from a place's calendar (agenda/importing.py): the calendar's UID for it, by
    # which each fetch updates it instead of adding it again.
    feed = models.ForeignKey(
        "CalendarFeed",
        verbose_name=_("agenda importé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="events",
    )
    feed_uid = models.CharField(
        _("identifiant dans l'agenda importé"), max_length=255, blank=True, editable=False
    )

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[audiences])

    class Meta:
        ordering = ["start", "title"]
        verbose_name = _("évènement")
        verbose_name_plural = _("évènements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(place__isnull=False) | models.Q(network__isnull=False),
                name="event_has_place_or_network",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="event_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["feed", "feed_uid"],
                condition=models.Q(feed__isnull=False),
                name="unique_event_per_feed_uid",
            ),
        ]
        indexes = [models.Index(fields=["last_end"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agenda:event", args=[self.slug])

    def clean(self):
        errors = {}
        if self.stop_id is not None:
            if self.place_id is None:
                self.place_id = self.stop.place_id
            elif self.stop.place_id != self.place_id:
                errors["stop"] = _("Cette étape est celle d'un autre lieu.")
        if self.place_id is None and self.network_id is None:
            errors["place"] = _("Un évènement appartient à un lieu ou à un réseau.")
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("La fin doit venir après le début.")
        for name, check in (("rule", self._check_rule), ("exceptions", self._check_exceptions)):
            try:
                check()
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            raise ValidationError(errors)

    def _check_rule(self):
        if self.start:
            recur = recurrence.parse_rule(self.rule, self.start)
            self.rule = recur.to_ical().decode() if recur else ""
            # RFC 5545 leaves a start off the rule to each application: refused, all agree.
            if recur and not recurrence.is_occurrence_day(
                self, recurrence.local(self.start).date()
            ):
                raise ValidationError(
                    _("Le début doit être l'une des dates que donne la règle."), code="start"
                )

    def _check_exceptions(self):
        days = recurrence.parse_dates(self.exceptions)
        if days and not self.rule:
            raise ValidationError(_("Des dates sautées n'ont de sens qu'avec une récurrence."))
        self.exceptions = "\n".join(day.isoformat() for day in days)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        self.last_end = recurrence.last_end(self)
        self.description_text = plain_text(self.description)
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.refresh_occurrences()

    def refresh_occurrences(self, today=None):
        """Write the event's dates in the table of occurrences again, from recurrence.py (its
        rule, skipped days and changed dates as saved), over the window it holds."""
        # The changed dates as saved, not as first read.
        getattr(self, "_prefetched_objects_cache", {}).pop("changes", None)
        start, end = recurrence.stored_window(today or timezone.localdate())
        with transaction.atomic():
            self.dates.all().delete()
            Occurrence = self.dates.model  # agenda.models.dates: it points at Event
            Occurrence.objects.bulk_create(
                Occurrence(event=self, start=date.start, end=date.end)
                for date in recurrence.stored_dates(self, start, end)
            )

    def _unique_slug(self):
        base = slugify(self.title)[:200] or "evenement"
        slug, suffix = base, 2
        while Event.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug

    # What the pages and feeds read

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def organiser(self):
        return self.place or self.network

    @property
    def where(self):
        """The place (and stop) or commune where it happens, in words."""
        if self.stop is not None:
            return f"{self.place.name} — {self.stop}"
        if self.place is not None:
            commune = self.place.commune
            return f"{self.place.name}, {commune.name}" if commune else self.place.name
        return self.commune.name if self.commune else ""

    @property
    def coordinates(self):
        """Where it happens on a map: its stop, its place, or its commune's town hall."""
        if self.stop is not None and (point := self.stop.coordinates):
            return point
        if self.place is not None and self.place.is_located:
            return self.place.latitude, self.place.longitude
        commune = self.commune or (self.place.commune if self.place else None)
        if commune and commune.townhall_latitude is not None:
            return commune.townhall_latitude, commune.townhall_longitude
        return None

    @property
    def is_approximate(self):
        """Whether `coordinates` is a town hall's rather than where it happens."""
        if self.stop is not None and self.stop.coordinates:
            return self.stop.latitude is None
        if self.place is not None and self.place.is_located:
            return self.place.is_approximate
        return True

    @property
    def registers_here(self):
        """Whether people register on Solozère (online registration without an address of its
        own)."""
        return self.registration == self.Registration.ONLINE and not self.registration_url

    @property
    def takes_registrations(self):
        return (
            self.registers_here
            and not self.registration_closed
            and self.published
            and self.status == self.Status.SCHEDULED
        )

    @property
    def is_recurring(self):
        return bool(self.rule)

    def occurrences(self, start, end):
        return recurrence.occurrences(self, start, end)

    def describe_ical(self, component):
        """What every VEVENT of the event says besides its dates."""
        component.add("uid", f"{self.uid}@solozere")
        component.add("dtstamp", self.updated_at)
        component.add("last-modified", self.updated_at)
        component.add("summary", self.title)
        if self.description_text:
            component.add("description", self.description_text)
        if self.where:
            component.add("location", self.where)
        if point := self.coordinates:
            component.add("geo", point)
        component.add("url", absolute_url(self.get_absolute_url()))
        component.add("status", ICAL_STATUS[self.status])
        if self.organiser is not None:
            component.add("categories", [str(self.organiser)])


ICAL_STATUS = {
    Event.Status.SCHEDULED: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
    Event.Status.POSTPONED: "TENTATIVE",
}
