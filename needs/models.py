"""Needs the home page offers (« Je cherche… »), the searches that found nothing (unmet demand,
anonymous, counted per day) and the visitors' alerts for a need unanswered near them."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.filters import PlaceFilter
from places.models import Place
from places.models.base import Labelled

from . import pictograms

# What a need's search may say: what is looked for, never where (the visitor says where).
WHERE = {"near", "lat", "lon", "radius", "commune", "epci"}
NEED_KEYS = frozenset(PlaceFilter.base_filters) - WHERE
MAX_QUERY_LENGTH = 500


def parse_search(query, allowed=NEED_KEYS):
    """A search's querystring read as the directory reads it; ValidationError when it names a
    parameter the need may not, or when the directory's PlaceFilter finds it invalid."""
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError(_("Cette recherche est trop longue."))
    data = QueryDict(query.lstrip("?"))
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(
            _("Paramètres non acceptés : %(names)s."), params={"names": ", ".join(unknown)}
        )
    search = PlaceFilter(data, queryset=Place.objects.none())
    if not search.is_valid():
        reasons = "; ".join(
            f"{name} : {' '.join(messages)}" for name, messages in search.errors.items()
        )
        raise ValidationError(_("Recherche invalide (%(reasons)s)."), params={"reasons": reasons})
    return data


def canonical(data):
    """A search's parameters in a stable order, each once, blanks left out."""
    pairs = sorted(
        {(key, value) for key in data for value in data.getlist(key) if str(value).strip()}
    )
    return urlencode(pairs)


def checked_query(query):
    """A need's search in canonical form; ValidationError (on `query`) if it errors or is empty."""
    try:
        data = parse_search(query or "")
    except ValidationError as error:
        raise ValidationError({"query": error.messages}) from None
    if not canonical(data):
        raise ValidationError({"query": _("Indiquez la recherche que lance ce besoin.")})
    return canonical(data)


class NeedQuerySet(models.QuerySet):
    def offered(self):
        return self.filter(active=True)


class Need(Labelled):
    """A need the home page offers as a button: its label, its pictogram and the search it runs
    (the directory's own parameters, checked by its PlaceFilter when saved)."""

    pictogram = models.CharField(_("pictogramme"), max_length=60, choices=pictograms.CHOICES)
    query = models.CharField(
        _("recherche lancée"),
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "Les paramètres de l'annuaire, comme dans son adresse après « ? » : par exemple "
            "service=meeting-room&service=videoconference. Le lieu est celui du visiteur."
        ),
    )
    active = models.BooleanField(_("proposé sur l'accueil"), default=True)

    objects = NeedQuerySet.as_manager()

    class Meta(Labelled.Meta):
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")

    @classmethod
    def from_db(cls, db, field_names, values):
        need = super().from_db(db, field_names, values)
        need._stored_query = need.__dict__.get("query")
        return need

    def clean_fields(self, exclude=None):
        """The search checked with the other fields, when its field is edited (a list's editable
        columns leave it out)."""
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "query" not in (exclude or ()) and "query" not in errors:
            try:
                self.query = checked_query(self.query)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # A search that would error never reaches the home page, whoever saves it; a stored one
        # is not checked again (its order or display can change after a catalogue's code went).
        if self.query != getattr(self, "_stored_query", None):
            self.query = checked_query(self.query)
        super().save(*args, **kwargs)
        self._stored_query = self.query

    def search_errors(self):
        """Why the directory would refuse this need's search now (a code gone since it was
        saved); empty while it holds."""
        try:
            parse_search(self.query)
        except ValidationError as error:
            return error.messages
        return []

    @property
    def pictogram_url(self):
        return pictograms.url(self.pictogram)


class UnmetSearch(models.Model):
    """How many searches of one day found nothing: the same words, commune, radius and criteria.

    Anonymous by construction: the words as the search compares them, the commune the search
    started from (never a position), its radius, its criteria; no address, cookie nor time of
    day. One row per day and search, its count incremented in the database (recording.py).
    """

    day = models.DateField(_("jour"), default=timezone.localdate)
    words = models.CharField(_("mots"), max_length=200, blank=True)
    commune_insee = models.CharField(_("commune (code INSEE)"), max_length=5, blank=True)
    radius = models.PositiveSmallIntegerField(_("rayon (km)"), default=0)
    criteria = models.CharField(_("critères"), max_length=MAX_QUERY_LENGTH, blank=True)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("recherche sans résultat")
        verbose_name_plural = _("recherches sans résultat")
        ordering = ["-day", "-count"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "words", "commune_insee", "radius", "criteria"],
                name="needs_unmet_one_row_a_day",
            )
        ]
        indexes = [models.Index(fields=["commune_insee", "day"], name="needs_unmet_commune_day")]

    def __str__(self):
        return f"{self.day} {self.words or self.criteria} ({self.count})"


class Alert(models.Model):
    """A visitor's e-mail, to be told once when a place near them answers a search that found
    nothing. Kept only confirmed (double opt-in), deleted when they unsubscribe or are told."""

    email = models.EmailField(_("courriel"), max_length=254)
    query = models.CharField(_("recherche"), max_length=MAX_QUERY_LENGTH)
    commune = models.ForeignKey(
        "territory.Commune", verbose_name=_("commune"), on_delete=models.CASCADE
    )
    radius = models.PositiveSmallIntegerField(_("rayon (km)"))
    language = models.CharField(_("langue"), max_length=8, default="fr")
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.query} ({self.commune_id})"
