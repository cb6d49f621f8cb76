"""What an animateur agrees the public may see of them: their name, on the pages of their places."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Tracked


class ConsentManager(models.Manager):
    def get_by_natural_key(self, username):
        return self.get(user__username=username)


class AnimateurConsent(Tracked):
    """An animateur's own choice to be named publicly. Without a yes, given by the person in the
    back-office, their name is never shown: the page says the place's team runs it.

    Tracked: withdrawing consent changes the directory's state, so no cached page keeps the name.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="animateur_consent",
    )
    show_name = models.BooleanField(
        _("J'accepte que mon nom soit affiché publiquement"),
        default=False,
        help_text=_(
            "Votre prénom et votre nom, sur la page des lieux que vous animez. Ni votre "
            "identifiant ni votre courriel ne sont jamais affichés. Vous pouvez changer d'avis à "
            "tout moment."
        ),
    )

    objects = ConsentManager()

    class Meta:
        ordering = ["user"]
        verbose_name = _("consentement d'un animateur")
        verbose_name_plural = _("consentements des animateurs")

    def __str__(self):
        return str(self.user)

    def natural_key(self):
        return self.user.natural_key()

    natural_key.dependencies = ["auth.user"]


def shows_name(user):
    """Whether a person agreed to be named publicly (read `animateur_consent` with the user)."""
    consent = getattr(user, "animateur_consent", None)
    return consent is not None and consent.show_name
