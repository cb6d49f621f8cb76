"""What the public sends: a place to add, or an error on a place's page, waiting for moderation;
and the counts that limit how much anyone sends (contributions, password resets, invitations),
in the database so that every process and every server shares them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from places.models import Place


class ContributionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Contribution.Status.PENDING)


class Contribution(models.Model):
    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("suggestion de lieu")
        ERROR = "error", _("signalement d'erreur")

    class Status(models.TextChoices):
        PENDING = "pending", _("à traiter")
        ACCEPTED = "accepted", _("acceptée")
        REJECTED = "rejected", _("refusée")

    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("lieu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        help_text=_("Le lieu signalé, ou celui créé à partir de la suggestion."),
    )
    place_name = models.CharField(_("nom du lieu"), max_length=200, blank=True)
    commune_name = models.CharField(_("commune"), max_length=150, blank=True)
    website = models.URLField(_("site web"), blank=True)
    message = models.TextField(_("message"))
    contact_email = models.EmailField(
        _("courriel de contact"),
        blank=True,
        help_text=_("Jamais publié ; sert seulement à répondre."),
    )
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(_("motif du refus"), blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contribution du public")
        verbose_name_plural = _("contributions du public")

    def __str__(self):
        subject = self.place.name if self.place else self.place_name
        return f"{self.get_kind_display()} — {subject}"


class RateLimitHit(models.Model):
    """One counted action (a contribution, a password reset, an invitation) until it expires.

    See contributions.limits: a limit is the number of unexpired rows with the same key."""

    key = models.CharField(_("action et auteur"), max_length=120)
    expires_at = models.DateTimeField(_("compte jusqu'au"), db_index=True)

    class Meta:
        verbose_name = _("action comptée")
        verbose_name_plural = _("actions comptées")
        indexes = [models.Index(fields=["key", "expires_at"], name="ratelimit_key_expiry")]

    def __str__(self):
        return self.key
