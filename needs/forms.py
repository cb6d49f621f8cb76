"""The public's alert form and the unmet demand's area, with the contributions' honeypot."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contributions.forms import ContributionForm
from places.filters import RADIUS_CHOICES_KM
from territory.fields import CommuneField, EpciField
from territory.models import Commune, Epci


class AlertForm(forms.Form):
    """An e-mail to be told when a place near a commune answers a search."""

    email = forms.EmailField(
        label=_("Votre courriel"),
        max_length=254,
        help_text=_(
            "Solozère vous écrira une seule fois, quand un lieu répondra à cette recherche, puis "
            "effacera votre adresse. Vous devrez d'abord confirmer par le lien reçu."
        ),
    )
    commune = CommuneField(
        label=_("Près de (commune)"), queryset=Commune.objects.all(), to_field_name="insee"
    )
    radius = forms.TypedChoiceField(
        label=_("Dans un rayon de"),
        choices=[(km, f"{km} km") for km in RADIUS_CHOICES_KM],
        coerce=int,
        initial=10,
    )
    nickname = ContributionForm.base_fields["nickname"]
    is_spam = ContributionForm.is_spam


class AreaForm(forms.Form):
    """Which communes the unmet demand is read for: a communauté de communes, or one commune."""

    epci = EpciField(
        label=_("Communauté de communes"),
        queryset=Epci.objects.all(),
        to_field_name="siren",
        required=False,
        empty_label=_("Toute la Lozère"),
    )
    commune = CommuneField(
        label=_("Commune"),
        queryset=Commune.objects.all(),
        to_field_name="insee",
        required=False,
        empty_label=_("Toutes"),
    )

    def communes(self):
        """The INSEE codes read (a subquery), or None for everywhere."""
        data = self.cleaned_data
        if data.get("commune"):
            return [data["commune"].insee]
        if data.get("epci"):
            return Commune.objects.filter(epci=data["epci"]).values("insee")
        return None
