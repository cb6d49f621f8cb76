"""Asking for a room, under the contributions' honeypot and hourly limit; refusing one, with its
reason. A line break or a control character in what is typed is an error, not silently mended:
the text goes into e-mails."""

import unicodedata
from datetime import time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.forms import PHONE
from contributions.forms import ContributionForm

from . import bookings
from .filters import MAX_PEOPLE, TIME_CHOICES


def one_line_only(value):
    if any(unicodedata.category(c).startswith("C") for c in value):
        raise forms.ValidationError(
            _("Écrivez sur une seule ligne, sans caractère de contrôle."), code="control"
        )


class OneLine(forms.CharField):
    default_validators = [one_line_only]

    def __init__(self, **kwargs):
        super().__init__(strip=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value != value.strip(" "):
            value = value.strip(" ")
            if self.required and not value:
                raise forms.ValidationError(self.error_messages["required"], code="required")
        return value


class RequestForm(forms.Form):
    """A room asked for on a day, from a time to a time, by someone who can be reached."""

    date = forms.DateField(
        label=_("Jour"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.ChoiceField(label=_("De"), choices=TIME_CHOICES)
    end = forms.ChoiceField(label=_("À"), choices=TIME_CHOICES)
    people = forms.IntegerField(label=_("Nombre de personnes"), min_value=1, max_value=MAX_PEOPLE)
    name = OneLine(label=_("Votre nom"), max_length=100)
    email = forms.EmailField(
        label=_("Courriel"),
        max_length=254,
        help_text=_("Pour recevoir la réponse du lieu et le lien d'annulation."),
    )
    phone = forms.CharField(label=_("Téléphone"), required=False, max_length=30, validators=[PHONE])
    organisation = OneLine(label=_("Structure"), required=False, max_length=150)
    purpose = OneLine(
        label=_("Objet de la réunion"),
        max_length=200,
        help_text=_("En quelques mots : le lieu le lit avant de répondre."),
    )
    nickname = ContributionForm.base_fields["nickname"]
    is_spam = ContributionForm.is_spam

    def __init__(self, *args, room, **kwargs):
        super().__init__(*args, **kwargs)
        self.room = room
        if room.capacity:
            self.fields["people"].max_value = None
            self.fields["people"].widget.attrs["max"] = room.capacity

    def clean_phone(self):
        return " ".join(self.cleaned_data["phone"].split())

    def clean(self):
        cleaned = super().clean()
        day, first, last = (cleaned.get(key) for key in ("date", "start", "end"))
        people = cleaned.get("people")
        if day and first and last and people:
            start = bookings.moment(day, time.fromisoformat(first))
            end = bookings.moment(day, time.fromisoformat(last))
            try:
                bookings.check(self.room, start, end, people, timezone.now())
            except bookings.Refused as refusal:
                raise forms.ValidationError(str(refusal)) from None
            cleaned["slot"] = (start, end)
        return cleaned


class RefusalForm(forms.Form):
    reason = OneLine(label=_("Motif du refus"), max_length=300)
