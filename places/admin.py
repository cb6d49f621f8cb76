"""Back-office for the directory: Lozère Développement's coordinators and the animateurs."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Audience,
    Commune,
    Epci,
    Family,
    FormerCommune,
    Membership,
    Network,
    NetworkTier,
    Place,
    PlaceType,
    Room,
    Service,
    Stop,
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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["network"]


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0
    autocomplete_fields = ["commune"]


class RoomInline(admin.StackedInline):
    model = Room
    extra = 0
    filter_horizontal = ["equipment"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "status", "to_verify", "verified_on", "updated_at"]
    list_filter = ["status", "to_verify", "itinerant", "types", "families", "commune__epci"]
    list_select_related = ["commune"]
    search_fields = ["name", "structure_name", "commune__name", "commune__former_communes__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["commune", "animateurs"]
    filter_horizontal = ["types", "families", "services", "audiences"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline, StopInline, RoomInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "to_verify", "verified_on"]}),
        (_("Ce que propose le lieu"), {"fields": ["types", "families", "services", "audiences"]}),
        (_("Présentation"), {"fields": ["short_description", "description"]}),
        (_("Structure porteuse"), {"fields": ["structure_name", "legal_identifier"]}),
        (
            _("Localisation"),
            {
                "fields": [
                    "address",
                    "commune",
                    ("latitude", "longitude"),
                    "location_precision",
                    "itinerant",
                ]
            },
        ),
        (_("Horaires"), {"fields": ["opening_hours", "opening_hours_note"]}),
        (
            _("Contact et accueil"),
            {
                "fields": [
                    "phone",
                    "email",
                    "website",
                    "accessibility",
                    "accessibility_note",
                    "price_note",
                ]
            },
        ),
        (_("Animation"), {"fields": ["animateurs", "created_at", "updated_at"]}),
    ]
