"""The two layouts places are imported from: the project's own open-data CSV and the ANCT's list
of France services (backoffice.imports.resources reads and writes them)."""

from django.utils.translation import gettext_lazy

from places.models import Audience, Family, Place, PlaceType, Service

from .columns import (
    Address,
    Choice,
    Codes,
    Column,
    CommuneCell,
    Day,
    Identifier,
    Number,
    Phone,
    Text,
    YesNo,
    comparable,
)
from .resources import PlaceResource


class ProjectResource(PlaceResource):
    """The « Données ouvertes » CSV (opendata.records.COLUMNS), for example exported, completed
    in a spreadsheet and imported back. Codes columns replace what a place offers."""

    label = gettext_lazy("Données ouvertes de Solozère")
    required = frozenset({"identifiant", "nom", "code_insee"})
    name_column = "nom"
    identifier_column = "identifiant"
    precision_column = "precision"

    name = Column("name", "nom", Text())
    status = Column("status", "statut", Choice(Place.Status))
    types = Column("types", "types", Codes(PlaceType))
    families = Column("families", "familles", Codes(Family))
    services = Column("services", "services", Codes(Service))
    audiences = Column("audiences", "publics", Codes(Audience))
    short_description = Column("short_description", "description_courte", Text())
    address = Column("address", "adresse", Text())
    commune = Column("commune", "code_insee", CommuneCell(name_column="commune"))
    latitude = Column("latitude", "latitude", Number())
    longitude = Column("longitude", "longitude", Number())
    location_precision = Column("location_precision", "precision", Choice(Place.Precision))
    itinerant = Column("itinerant", "itinerant", YesNo())
    opening_hours = Column("opening_hours", "horaires", Text())
    opening_hours_note = Column("opening_hours_note", "precisions_horaires", Text())
    phone = Column("phone", "telephone", Phone())
    email = Column("email", "courriel", Text())
    website = Column("website", "site_web", Text())
    accessibility = Column("accessibility", "accessibilite_pmr", Choice(Place.Accessibility))
    structure_name = Column("structure_name", "structure", Text())
    legal_identifier = Column("legal_identifier", "siret_rna", Identifier())
    verified_on = Column("verified_on", "derniere_verification", Day())


class Itinerant(Text):
    """« Itinérant » in the ANCT's format_fs column; « Fixe » otherwise."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        return None if text is None else "itin" in comparable(text)


class FranceServicesResource(PlaceResource):
    """The ANCT's list of France services, as published on data.gouv.fr (`;`-separated). Every
    place is open, of the type France Services (and mobile when itinerant), with the services
    « aide aux démarches » and « accompagnement au numérique », added to what it has."""

    label = gettext_lazy("France services (ANCT)")
    required = frozenset({"lib_fs"})
    name_column = "lib_fs"
    constant_fields = ("status",)
    TYPE, MOBILE = "france-services", "mobile"
    SERVICES = ["admin-help", "digital-help"]

    name = Column("name", "lib_fs", Text())
    address = Column("address", "adresse", Address("complement_adresse", max_length=250))
    commune = Column("commune", "insee_com", CommuneCell(name_column="lib_com"))
    phone = Column("phone", "telephone", Phone())
    email = Column("email", "mail", Text(also=("courriel", "adresse_mail", "email")))
    website = Column("website", "site_web", Text(also=("site_internet",)))
    legal_identifier = Column("legal_identifier", "siret", Identifier())
    itinerant = Column("itinerant", "format_fs", Itinerant())
    latitude = Column("latitude", "latitude", Number())
    longitude = Column("longitude", "longitude", Number())

    @classmethod
    def recognises(cls, headers):
        return super().recognises(headers) and bool({"insee_com", "lib_com"} & set(headers))

    def prepare(self):
        self.types = PlaceType.objects.in_bulk([self.TYPE, self.MOBILE], field_name="code")
        self.services = list(Service.objects.filter(code__in=self.SERVICES))

    def complete(self, instance, row):
        instance.status = Place.Status.OPEN
        codes = [self.TYPE, self.MOBILE] if instance.itinerant else [self.TYPE]
        types = [self.types[code] for code in codes if code in self.types]
        instance.import_links.update(types=(types, True), services=(self.services, True))


LAYOUTS = [ProjectResource, FranceServicesResource]
