"""Reference data in the back-office: communes, services, networks… kept by coordinators."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import (
    Audience,
    Commune,
    Epci,
    Family,
    FormerCommune,
    Network,
    NetworkTier,
    PlaceType,
    Service,
)

admin.site.site_header = _("Solozère — administration")
admin.site.site_title = _("Solozère")
admin.site.index_title = _("Gestion de l'annuaire des tiers-lieux")


class LabelledAdmin(admin.ModelAdmin):
    list_display = ["label_fr", "label_en", "code", "position"]
    list_editable = ["position"]
    search_fields = ["code", "label_fr", "label_en"]


@admin.register(Family, PlaceType, Audience)
class ReferenceAdmin(LabelledAdmin):
    pass


@admin.register(Service)
class ServiceAdmin(LabelledAdmin):
    list_display = ["label_fr", "label_en", "code", "family", "pictogram", "position"]
    list_filter = ["family"]
    list_select_related = ["family"]


class NetworkTierInline(admin.TabularInline):
    model = NetworkTier
    extra = 0


@admin.register(Network)
class NetworkAdmin(LabelledAdmin):
    inlines = [NetworkTierInline]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["name", "siren"]
    search_fields = ["name", "siren"]


class FormerCommuneInline(admin.TabularInline):
    model = FormerCommune
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee", "postcodes", "population", "epci"]
    list_filter = ["epci"]
    list_select_related = ["epci"]
    search_fields = ["name", "insee", "postcodes", "former_communes__name"]
    inlines = [FormerCommuneInline]
