"""Someone registered for a date of an event."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import recurrence
from .event import Event


class Registration(models.Model):
    """Someone registered for one date of an event that takes registrations on Solozère, or
    waiting for a seat. Never public, never exported, never kept in a history: deleted
    REGISTRATION_RETENTION_DAYS after its date (`purge_registrations`)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("inscrit")
        WAITING = "waiting", _("en liste d'attente")

    class News(models.TextChoices):
        """What changed for someone after they registered."""

        PROMOTED = "promoted", _("une place s'est libérée")
        MOVED = "moved", _("la date a changé")
        GONE = "gone", _("la date n'a plus lieu")
        CANCELLED = "cancelled", _("l'évènement est annulé")
        POSTPONED = "postponed", _("l'évènement est reporté")

    event = models.ForeignKey(
        Event, verbose_name=_("évènement"), on_delete=models.CASCADE, related_name="registrations"
    )
    occurrence = models.DateTimeField(
        _("date"), help_text=_("Le début de la date choisie de l'évènement.")
    )
    rule_day = models.DateField(
        _("jour prévu"),
        null=True,
        editable=False,
        help_text=_(
            "Le jour que la règle donnait pour cette date (RECURRENCE-ID) : l'inscription suit "
            "sa date quand elle est déplacée."
        ),
    )
    name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    to_tell = models.CharField(
        _("à prévenir par téléphone"),
        max_length=10,
        choices=News.choices,
        blank=True,
        help_text=_("Ce que la personne, sans courriel, doit encore apprendre."),
    )

    class Meta:
        ordering = ["event", "occurrence", "created_at", "pk"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(phone=""),
                name="registration_has_contact",
            ),
        ]
        indexes = [models.Index(fields=["event", "occurrence", "status"])]

    def __str__(self):
        # No name: the back-office's log keeps what it says of a deleted row.
        when = recurrence.local(self.occurrence)
        return _("Inscription n° %(number)s — %(event)s (%(date)s)") % {
            "number": self.pk,
            "event": self.event,
            "date": f"{when:%d/%m/%Y %H:%M}",
        }
