"""Someone asks for a room at a time; the place answers.

A request is asked, then accepted, refused (with a reason), expired (no answer in
ROOM_REQUEST_EXPIRY_DAYS) or cancelled (by the requester or the place). An accepted request holds
its room through `BookedSlot`: one row per half-hour it covers, unique per room and start, written
in the transaction that accepts it. Two bookings of the same room that overlap share a half-hour:
the database itself refuses the second, on PostgreSQL as on SQLite.

Requesters' names and ways to reach them are never public, never exported as open data, never kept
in a history, and are erased ROOM_RETENTION_MONTHS after the booking (`purge_room_requests`); the
request itself stays, anonymous, for the network's figures.
"""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from places.models import Room

SLOT = timedelta(minutes=30)


class RoomRequest(models.Model):
    class Status(models.TextChoices):
        ASKED = "asked", _("demandée")
        ACCEPTED = "accepted", _("acceptée")
        REFUSED = "refused", _("refusée")
        EXPIRED = "expired", _("expirée")
        CANCELLED = "cancelled", _("annulée")

    class Side(models.TextChoices):
        REQUESTER = "requester", _("par le demandeur")
        PLACE = "place", _("par le lieu")

    room = models.ForeignKey(
        Room, verbose_name=_("salle"), on_delete=models.CASCADE, related_name="requests"
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    people = models.PositiveSmallIntegerField(_("nombre de personnes"))
    name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("courriel"), max_length=254)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    organisation = models.CharField(_("structure"), max_length=150, blank=True)
    purpose = models.CharField(_("objet"), max_length=200)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.ASKED
    )
    reason = models.CharField(_("motif du refus"), max_length=300, blank=True)
    cancelled_by = models.CharField(_("annulée"), max_length=10, choices=Side.choices, blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    purged = models.BooleanField(_("données personnelles effacées"), default=False)

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("demande de salle")
        verbose_name_plural = _("demandes de salle")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="room_request_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["room", "start"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        # No name: the back-office's log keeps what it says of a deleted row.
        return _("Demande n° %(number)s — %(room)s") % {"number": self.pk, "room": self.room}

    @property
    def duration(self):
        return self.end - self.start


class BookedSlot(models.Model):
    """A half-hour of a room held by an accepted request: (room, start) is unique."""

    request = models.ForeignKey(RoomRequest, on_delete=models.CASCADE, related_name="slots")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="booked_slots")
    start = models.DateTimeField()

    class Meta:
        verbose_name = _("demi-heure réservée")
        verbose_name_plural = _("demi-heures réservées")
        constraints = [
            models.UniqueConstraint(fields=["room", "start"], name="one_booking_per_room_slot")
        ]

    def __str__(self):
        return f"{self.room_id} {self.start:%Y-%m-%d %H:%M}"
