"""Back-office for the charter, kept by Lozère Développement."""

from django.contrib import admin

from backoffice.admin.base import BackOfficeAdmin
from backoffice.admin.history import HistoryAdmin
from backoffice.admin.reference import LabelledAdmin

from .models import (
    BaseItem,
    CharterVersion,
    Principle,
    Signature,
    Specialisation,
    TierRequirement,
)


@admin.register(CharterVersion)
class CharterVersionAdmin(BackOfficeAdmin):
    list_display = ["number", "title_fr", "published_on"]


@admin.register(Principle)
class PrincipleAdmin(BackOfficeAdmin):
    list_display = ["number", "title_fr", "title_en"]


@admin.register(BaseItem)
class BaseItemAdmin(LabelledAdmin):
    list_display = ["label_fr", "dimension", "code", "position"]
    list_filter = ["dimension"]
    filter_horizontal = ["services"]


@admin.register(Specialisation)
class SpecialisationAdmin(LabelledAdmin):
    list_display = ["label_fr", "kind", "dimension", "code", "position"]
    list_filter = ["kind", "dimension"]
    filter_horizontal = ["services"]


@admin.register(Signature)
class SignatureAdmin(HistoryAdmin):
    list_display = ["place", "version", "signed_on"]
    list_filter = ["version"]
    list_select_related = ["place", "version"]
    autocomplete_fields = ["place"]


@admin.register(TierRequirement)
class TierRequirementAdmin(BackOfficeAdmin):
    list_display = ["tier"]
    filter_horizontal = ["base_items", "services"]
