"""The public proposes an event of a place (saved unpublished, for the coordinators to check) and
registers for a date of an event, both with the contributions' honeypot and rate limit."""

import unicodedata

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import RegexValidator
from django.forms.utils import ErrorDict
from django.utils.formats import date_format
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


PHONE = RegexValidator(
    r"^\+?[0-9][0-9 .()\-]{5,28}$",
    _("Saisissez un numéro de téléphone, par exemple 04 66 00 00 00."),
)


class RegistrationForm(forms.Form):
    """Registering for a date of an event: a name and a way to be reached, at least one."""

    occurrence = forms.TypedChoiceField(label=_("Date"))
    name = forms.CharField(label=_("Votre nom"), max_length=100)
    email = forms.EmailField(
        label=_("Courriel"),
        required=False,
        max_length=254,
        help_text=_(
            "Pour recevoir la confirmation, la date pour votre agenda et le lien d'annulation."
        ),
    )
    phone = forms.CharField(label=_("Téléphone"), required=False, max_length=30, validators=[PHONE])
    nickname = ContributionForm.base_fields["nickname"]
    is_spam = ContributionForm.is_spam

    def __init__(self, *args, dates, taken, limit, **kwargs):
        super().__init__(*args, **kwargs)
        self.dates = {occurrence.start.isoformat(): occurrence.start for occurrence in dates}
        choices = []
        for occurrence in dates:
            label = date_format(occurrence.start, "l j F Y, H:i")
            if limit is not None and taken.get(occurrence.start, 0) >= limit:
                label = _("%(date)s — complet : liste d'attente") % {"date": label}
            choices.append((occurrence.start.isoformat(), label))
        field = self.fields["occurrence"]
        field.choices = choices
        field.coerce = self.dates.get
        if len(choices) == 1:
            field.initial = choices[0][0]

    def refuse(self, message):
        """An error of the whole form, even unbound (a closed or past event's form is not read)."""
        self._errors = ErrorDict(
            {NON_FIELD_ERRORS: self.error_class([message], error_class="nonfield")}
        )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
        if not name.strip():
            raise forms.ValidationError(_("Indiquez votre nom."))
        return name.strip()

    def clean_phone(self):
        return " ".join(self.cleaned_data["phone"].split())

    def clean(self):
        cleaned = super().clean()
        unreadable = {"email", "phone"} & set(self.errors)
        if not unreadable and not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(
                _("Indiquez un courriel ou un téléphone, pour qu'on puisse vous joindre.")
            )
        return cleaned
