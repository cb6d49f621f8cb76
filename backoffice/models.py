"""What the back-office remembers of its own work: the reminders sent to animateurs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.models import Place


class ReminderQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class Reminder(models.Model):
    """One reminder about one place, e-mailed to each of its animateurs with their own
    « Toujours exact » link (backoffice.reminders). It is answered when the place is confirmed,
    by that link or otherwise; after two unanswered ones the coordination is told, once."""

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="reminders"
    )
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("répondu par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("coordination prévenue le"), null=True, blank=True)
    # Nobody could be written to (no active animateur with an address): the coordination was
    # told instead, and is told again only after the place's cadence.
    unreachable = models.BooleanField(_("personne à qui écrire"), default=False)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["place", "sent_at"]
        verbose_name = _("rappel")
        verbose_name_plural = _("rappels")
        indexes = [models.Index(fields=["place", "answered_at"], name="reminder_place_answered")]

    def __str__(self):
        return f"{self.place} ({self.sent_at:%Y-%m-%d})"
