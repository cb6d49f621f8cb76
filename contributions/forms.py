"""The public's forms: suggest a place, report an error. Spam meets a honeypot and a rate limit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Contribution


class ContributionForm(forms.ModelForm):
    # Hidden from people, filled in by robots: a filled honeypot discards the message silently.
    nickname = forms.CharField(
        required=False,
        label=_("Ne pas remplir ce champ"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Contribution
        fields = ["message", "contact_email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("nickname"))


class SuggestionForm(ContributionForm):
    class Meta(ContributionForm.Meta):
        fields = ["place_name", "commune_name", "website", "message", "contact_email"]
        labels = {
            "place_name": _("Nom du lieu"),
            "commune_name": _("Commune"),
            "message": _("Que propose ce lieu ?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place_name"].required = True
        self.fields["commune_name"].required = True


class ErrorReportForm(ContributionForm):
    class Meta(ContributionForm.Meta):
        labels = {"message": _("Qu'est-ce qui est inexact ou manque ?")}
