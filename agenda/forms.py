"""The public proposes an event of a place: saved unpublished, for the coordinators to check, with
the contributions' honeypot and rate limit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contributions.forms import ContributionForm

from .models import Event

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProposalForm(forms.ModelForm):
    nickname = ContributionForm.base_fields["nickname"]
    is_spam = ContributionForm.is_spam

    class Meta:
        model = Event
        fields = ["title", "start", "end", "description", "free", "price_note", "contact_email"]
        widgets = {"start": MOMENT, "end": MOMENT, "description": forms.Textarea(attrs={"rows": 5})}
        labels = {"title": _("Titre de l'évènement")}

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.place = place
        self.instance.published = False
