"""What the open data is made of: one entry per file, and the API that serves the same records.

The DCAT catalogue (/donnees/catalogue.jsonld) and the schema.org Dataset of the « Données
ouvertes » page are both written from this table, so a new file is one entry here.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from places.links import absolute_url

from . import datainclusion, mednum

# The IANA registry's page of each media type, the IRI DCAT-AP asks for in dcat:mediaType.
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# The EU Publications Office's file types, the vocabulary DCAT-AP asks for in dct:format.
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
GEOJSON_STANDARD = "https://www.rfc-editor.org/rfc/rfc7946"


@dataclass(frozen=True)
class Distribution:
    """One way to get the data.

    `key` names it in the catalogue (its IRI is the « Données ouvertes » page's URL with `#key`,
    so never `api` nor `jeu-de-donnees`, the service's and the dataset's);
    `url_name` is its address on this site; `media_type` an IANA media type and `file_type` the
    EU file-type code (CSV, GEOJSON, JSON…). `conforms_to` is the standard the file follows: an
    absolute URL (a national schema), or the URL name of a schema this site serves. A file is
    downloaded whole; the API (`download=False`) is read a page at a time through its service."""

    key: str
    url_name: str
    title: str
    media_type: str
    file_type: str
    conforms_to: str = ""
    download: bool = True

    @property
    def url(self):
        return absolute_url(reverse(self.url_name))

    @property
    def standard(self):
        """The conformsTo IRI, or "" for a file that follows no published standard."""
        if not self.conforms_to or "://" in self.conforms_to:
            return self.conforms_to
        return absolute_url(reverse(self.conforms_to))

    @property
    def media_type_iri(self):
        return IANA_MEDIA_TYPES + self.media_type

    @property
    def file_type_iri(self):
        return EU_FILE_TYPES + self.file_type


def mednum_title():
    return gettext("Lieux de médiation numérique, au standard national (LaMednum v%(version)s)") % {
        "version": mednum.SCHEMA_VERSION
    }


DISTRIBUTIONS = [
    Distribution(
        "lieux-csv",
        "opendata:csv",
        _("Tous les lieux en CSV"),
        "text/csv",
        "CSV",
        conforms_to="opendata:csv-schema",
    ),
    Distribution(
        "lieux-geojson",
        "opendata:geojson",
        _("Tous les lieux en GeoJSON"),
        "application/geo+json",
        "GEOJSON",
        conforms_to=GEOJSON_STANDARD,
    ),
    Distribution(
        "mediation-numerique",
        "opendata:mednum",
        lazy(mednum_title, str)(),
        "text/csv",
        "CSV",
        # The schema's own address for this version, as the published schema states it.
        conforms_to=mednum.SCHEMA["uri"],
    ),
    Distribution(
        "data-inclusion-structures",
        "opendata:datainclusion-structures",
        _("Lieux ouverts, en structures au schéma data·inclusion (JSON)"),
        "application/json",
        "JSON",
        conforms_to=datainclusion.STRUCTURE_SCHEMA_URL,
    ),
    Distribution(
        "data-inclusion-services",
        "opendata:datainclusion-services",
        _("Leurs services, au schéma data·inclusion (JSON)"),
        "application/json",
        "JSON",
        conforms_to=datainclusion.SERVICE_SCHEMA_URL,
    ),
    # The agenda's events (the agenda app serves them; a series is one row, or one VEVENT with
    # its rule).
    Distribution(
        "evenements-csv", "agenda:csv", _("Les évènements des lieux en CSV"), "text/csv", "CSV"
    ),
    Distribution(
        "evenements-json",
        "agenda:json",
        _("Les évènements des lieux en JSON"),
        "application/json",
        "JSON",
    ),
    Distribution(
        "evenements-icalendar",
        "agenda:ics",
        _("Les évènements des lieux en iCalendar"),
        "text/calendar",
        "ICS",
        conforms_to="https://www.rfc-editor.org/rfc/rfc5545",
    ),
    Distribution(
        "lieux-api",
        "opendata:api-list",
        _("API de lecture"),
        "application/json",
        "JSON",
        download=False,
    ),
    Distribution(
        "evenements-api",
        "agenda:api-list",
        _("API de lecture des évènements"),
        "application/json",
        "JSON",
        download=False,
    ),
]

# The read API as a DCAT data service: where it answers and the OpenAPI document describing it.
API_ENDPOINT = "opendata:api-list"
API_DESCRIPTION = "opendata:api-openapi"
