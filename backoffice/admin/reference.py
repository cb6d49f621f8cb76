"""Reference data in the back-office: communes, services, networks… kept by coordinators."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from places.models import Audience, Family, Network, NetworkTier, PlaceType, Service
from territory.models import Commune, Epci, FormerCommune

from .base import BackOfficeAdmin

admin.site.site_header = _("Solozère — administration")
admin.site.site_title = _("Solozère")
admin.site.index_title = _("Gestion de l'annuaire des tiers-lieux")


class LabelledAdmin(BackOfficeAdmin):
    list_display = ["label_fr", "label_en", "code", "position"]
    list_editable = ["position"]
    search_fields = ["code", "label_fr", "label_en"]


@admin.register(Family)
class ReferenceAdmin(LabelledAdmin):
    pass


@admin.register(PlaceType, Audience)
class SearchedReferenceAdmin(LabelledAdmin):
    """What search reads: the labels and the synonyms people use (places.search)."""

    list_display = ["label_fr", "label_en", "code", "synonyms", "position"]
    search_fields = [*LabelledAdmin.search_fields, "synonyms"]


@admin.register(Service)
class ServiceAdmin(SearchedReferenceAdmin):
    list_display = ["label_fr", "label_en", "code", "family", "pictogram", "position"]
    list_filter = ["family"]
    list_select_related = ["family"]


class NetworkTierInline(admin.TabularInline):
    model = NetworkTier
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("network")  # each row's label


@admin.register(Network)
class NetworkAdmin(LabelledAdmin):
    inlines = [NetworkTierInline]


@admin.register(Epci)
class EpciAdmin(BackOfficeAdmin):
    list_display = ["name", "siren"]
    search_fields = ["name", "siren"]


class FormerCommuneInline(admin.TabularInline):
    model = FormerCommune
    extra = 0


@admin.register(Commune)
class CommuneAdmin(BackOfficeAdmin):
    list_display = ["name", "insee", "postcodes", "population", "population_year", "epci"]
    list_filter = ["epci"]
    list_select_related = ["epci"]
    search_fields = ["name", "insee", "postcodes", "former_communes__name"]
    inlines = [FormerCommuneInline]
