"""Two people editing one place at once: the second save is refused, saying what changed meanwhile.

The place form carries, in a hidden field, a fingerprint of the place as stored when the form was
opened: one short digest for each field the form edits and for each inline it shows (stops, rooms,
photos, memberships). On saving, with the place's row locked, the stored place is fingerprinted
again; a digest that differs is a change somebody else saved in between, and the form comes back
with what was typed, nothing saved, and the other person's values.
"""

import hashlib
import json
from datetime import date, datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from places.models import Place

SALT = "places.place-version"


class Watched:
    """What one person's place form edits: fields of the place and rows of related models."""

    def __init__(self, fields, related_models):
        self.fields = list(fields)
        self.related = [(model, _link_to_place(model)) for model in related_models]

    def fingerprint(self, place):
        parts = {name: _raw(place, place._meta.get_field(name)) for name in self.fields}
        for model, link in self.related:
            parts[_key(model)] = [_row(row, link) for row in _rows(place, model, link)]
        return {key: _digest(value) for key, value in parts.items()}

    def token(self, place):
        """The hidden field's value: the fingerprint and when it was taken, signed."""
        seen = {"at": timezone.now().isoformat(), "parts": self.fingerprint(place)}
        return signing.dumps(seen, salt=SALT)

    def changes(self, place, seen):
        """« Field : value » for each part of the stored place that differs from what was seen."""
        now = self.fingerprint(place)
        lines = []
        for name in self.fields:
            if seen["parts"].get(name) != now[name]:
                field = place._meta.get_field(name)
                lines.append(_line(field.verbose_name, _shown(place, field)))
        for model, link in self.related:
            if seen["parts"].get(_key(model)) != now[_key(model)]:
                rows = " ; ".join(str(row) for row in _rows(place, model, link))
                lines.append(_line(model._meta.verbose_name_plural, rows))
        return lines


class VersionedPlaceForm(forms.ModelForm):
    """The place form's version check; PlaceAdminForm adds its rules."""

    # What the place was when the form was opened (see above).
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    watched = None  # what this person's form edits: set by the admin for each request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = None if self.is_bound else self._stored()
        if stored is not None:
            self.fields["version"].initial = self.watched.token(stored)

    def _stored(self):
        """The place as saved now (the restore form's instance is an old version of it)."""
        if self.watched is None or self.instance.pk is None:
            return None
        return Place.objects.filter(pk=self.instance.pk).first()

    def clean(self):
        cleaned = super().clean()
        stored = self._stored()
        if stored is not None:
            self._refuse_what_others_changed(stored)
        return cleaned

    def _refuse_what_others_changed(self, stored):
        seen = read(self.data.get(self.add_prefix("version")))
        changes = None if seen is None else self.watched.changes(stored, seen)
        if changes == []:
            return
        # Shown again, the form carries the place as it now is: saving once more is a choice.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = self.watched.token(stored)
        if seen is None:
            raise ValidationError(
                _(
                    "Ce formulaire ne dit pas quelle version du lieu il modifie : rien n'a été "
                    "enregistré. Vérifiez vos saisies, puis enregistrez de nouveau."
                )
            )
        editors = editors_since(stored, seen)
        if editors:
            intro = ngettext(
                "%(names)s a modifié ce lieu depuis que vous avez ouvert ce formulaire : rien "
                "n'a été enregistré, vos saisies sont conservées ci-dessous. Valeurs enregistrées "
                "entre-temps (enregistrez de nouveau pour les remplacer par les vôtres) :",
                "%(names)s ont modifié ce lieu depuis que vous avez ouvert ce formulaire : rien "
                "n'a été enregistré, vos saisies sont conservées ci-dessous. Valeurs enregistrées "
                "entre-temps (enregistrez de nouveau pour les remplacer par les vôtres) :",
                len(editors),
            ) % {"names": ", ".join(editors)}
        else:
            intro = _(
                "Ce lieu a été modifié depuis que vous avez ouvert ce formulaire : rien n'a été "
                "enregistré, vos saisies sont conservées ci-dessous. Valeurs enregistrées "
                "entre-temps (enregistrez de nouveau pour les remplacer par les vôtres) :"
            )
        raise ValidationError([intro, *changes])


def read(token):
    """What a token saw, or None when it is missing or was not made here."""
    try:
        seen = signing.loads(token or "", salt=SALT)
        return {"at": datetime.fromisoformat(seen["at"]), "parts": dict(seen["parts"])}
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def editors_since(place, seen):
    """Who saved the place after the form was opened, as its history tells."""
    records = place.history.filter(history_date__gt=seen["at"], history_user__isnull=False)
    names = (
        record.history_user.get_full_name() or record.history_user.get_username()
        for record in records.select_related("history_user").order_by("history_date")
    )
    return list(dict.fromkeys(names))


def _link_to_place(model):
    return next(field for field in model._meta.fields if field.related_model is Place)


def _key(model):
    return f"related:{model._meta.label_lower}"


def _rows(place, model, link):
    return list(model._base_manager.filter(**{link.name: place}).order_by("pk"))


def _row(row, link):
    fields = [field for field in row._meta.concrete_fields if field is not link]
    return [row.pk, *(_raw(row, field) for field in [*fields, *row._meta.many_to_many])]


def _raw(obj, field):
    value = field.value_from_object(obj)
    if field.many_to_many:
        return sorted(related.pk for related in value)
    return value


def _digest(value):
    text = json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _shown(place, field):
    """A field's stored value, as the form shows it."""
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(place, field.name).all())
    if field.choices:
        return getattr(place, f"get_{field.name}_display")()
    value = getattr(place, field.name)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return "" if value is None else str(localize(value))


def _line(label, value):
    label = str(label)
    return _("%(field)s : « %(value)s »") % {
        "field": label[:1].upper() + label[1:],
        "value": value or _("vide"),
    }
