"""The place in the back-office: coordinators edit every place, animateurs only theirs.

Every rule is enforced on the object itself, not only by hiding links: another place's change,
history or delete URL answers 403.
"""

import tempfile
import zipfile
from io import BytesIO, StringIO
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import hours, mednum
from ..geo import in_lozere
from ..models import Commune, Membership, Photo, Place, Room, Stop
from ..rendering import render_markdown
from ..roles import can_edit_place, editable_places, is_coordinator
from ..validators import validate_opening_hours
from .imports import PlaceImportMixin

# What only coordinators may change on a place.
COORDINATOR_FIELDS = ["slug", "to_verify", "animateurs", "archived_at"]


class PlaceAdminForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["status"]  # the admin's fieldsets list the rest

    def clean_status(self):
        status = self.cleaned_data["status"]
        closing = Place.Status.CLOSED in {status, self.instance.status}
        if closing and status != self.instance.status and not is_coordinator(self.user):
            raise ValidationError(
                _("Seuls les coordinateurs peuvent fermer un lieu ou le rouvrir.")
            )
        return status


class CoordinatorOnlyInline:
    """An inline shown to coordinators only (network memberships)."""

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class MembershipInline(CoordinatorOnlyInline, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["network"]


class PlaceChildInline:
    """Stops, rooms and photos: editable by whoever may edit the place."""

    def has_view_permission(self, request, obj=None):
        return obj is None or can_edit_place(request.user, obj)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class StopInline(PlaceChildInline, admin.TabularInline):
    model = Stop
    extra = 0
    autocomplete_fields = ["commune"]


class RoomInline(PlaceChildInline, admin.StackedInline):
    model = Room
    extra = 0
    filter_horizontal = ["equipment"]


class PhotoInline(PlaceChildInline, admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["image", "alt_text", "credit", "position"]


class MednumFilter(admin.SimpleListFilter):
    """Where a digital-mediation place stands with the national standard's file."""

    title = _("standard médiation numérique")
    parameter_name = "mednum"

    def lookups(self, request, model_admin):
        return [
            ("complete", _("dans le fichier national")),
            ("incomplete", _("à compléter pour y figurer")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in {"complete", "incomplete"}:
            return queryset
        eligible = queryset.filter(pk__in=mednum.eligible(Place.objects.all()).values("pk"))
        if self.value() == "complete":
            return eligible.exclude(mednum.GAPS)
        return eligible.filter(mednum.GAPS)


@admin.register(Place)
class PlaceAdmin(PlaceImportMixin, SimpleHistoryAdmin):
    form = PlaceAdminForm
    list_display = ["name", "commune", "status", "to_verify", "verified_on", "updated_at"]
    list_filter = [
        "status",
        "to_verify",
        "itinerant",
        "types",
        "families",
        "commune__epci",
        MednumFilter,
    ]
    list_select_related = ["commune"]
    search_fields = ["name", "structure_name", "commune__name", "commune__former_communes__name"]
    autocomplete_fields = ["commune", "animateurs"]
    filter_horizontal = ["types", "families", "services", "audiences"]
    readonly_fields = ["hours_preview", "created_at", "updated_at"]
    history_list_display = ["status"]
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
        (_("Horaires"), {"fields": ["opening_hours", "hours_preview", "opening_hours_note"]}),
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
        (_("Animation"), {"fields": ["animateurs", "archived_at", "created_at", "updated_at"]}),
    ]
    actions = ["purge"]

    class Media:
        css = {"all": ["leaflet/leaflet.css"]}
        js = ["leaflet/leaflet.js", "js/admin-place.js"]

    # Who sees what

    def get_queryset(self, request):
        places = super().get_queryset(request)
        if not is_coordinator(request.user):
            places = places.published()
        return editable_places(request.user, places)

    def get_object(self, request, object_id, from_field=None):
        """Any place, so that permissions (not the list's filter) answer: 403, not a redirect."""
        try:
            return Place.objects.get(pk=Place._meta.pk.to_python(object_id))
        except (Place.DoesNotExist, ValidationError, ValueError):
            return None

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_edit_place(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_place(request.user, obj))

    def has_add_permission(self, request):
        return is_coordinator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_change_history_permission(self, request, obj=None):
        """Restoring an earlier version is for coordinators; animateurs read the history."""
        return is_coordinator(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_coordinator(request.user):
            fields += COORDINATOR_FIELDS
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        # Not a class attribute: the slug is read-only for animateurs.
        return {"slug": ["name"]} if is_coordinator(request.user) else {}

    def get_inlines(self, request, obj):
        return [MembershipInline, StopInline, RoomInline, PhotoInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("purge", None)
        return actions

    # Saving, archiving, purging

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_located and not in_lozere(obj.latitude, obj.longitude):
            self.message_user(
                request,
                _("Attention : la position indiquée se trouve hors de la Lozère."),
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        """« Deleting » archives: the place leaves the public site, nothing is lost."""
        obj.archived_at = timezone.now()
        obj.save()

    def delete_queryset(self, request, queryset):
        for place in queryset:
            self.delete_model(request, place)

    @admin.action(description=_("Supprimer définitivement (opérateurs seulement)"))
    def purge(self, request, queryset):
        if not request.user.is_superuser:
            raise PermissionDenied
        count = queryset.count()
        for place in queryset:
            place.delete()
        self.message_user(
            request,
            ngettext("%(count)d lieu supprimé.", "%(count)d lieux supprimés.", count)
            % {"count": count},
        )

    # Freshness: « Les informations sont à jour »

    def get_urls(self):
        urls = [
            path(
                "hours-preview/",
                self.admin_site.admin_view(self.hours_preview_view),
                name="places_place_hours_preview",
            ),
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview_view),
                name="places_place_markdown_preview",
            ),
            path(
                "export-fixtures/",
                self.admin_site.admin_view(self.export_view),
                name="places_place_export",
            ),
            path(
                "<path:object_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="places_place_verify",
            ),
        ]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": is_coordinator(request.user)}
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        context["place_form_config"] = {
            "outline": static("geo/departement.geojson"),
            "communes": {
                pk: [lat, lon]
                for pk, lat, lon in Commune.objects.values_list(
                    "pk", "townhall_latitude", "townhall_longitude"
                )
                if lat is not None
            },
            "hoursPreview": reverse("admin:places_place_hours_preview"),
            "markdownPreview": reverse("admin:places_place_markdown_preview"),
            "labels": {
                "map": _("Carte : cliquez ou déplacez le repère pour placer le lieu"),
                "help": _("Cliquez sur la carte ou déplacez le repère pour placer le lieu."),
                "outside": _("Attention : ce point se trouve hors de la Lozère."),
                "zoomIn": _("Zoomer"),
                "zoomOut": _("Dézoomer"),
            },
        }
        return super().render_change_form(request, context, *args, **kwargs)

    def export_view(self, request):
        """The same export as `manage.py export_fixtures`, as a zip (no personal data)."""
        if not is_coordinator(request.user):
            raise PermissionDenied
        archive = BytesIO()
        with tempfile.TemporaryDirectory() as folder:
            call_command("export_fixtures", "--output", folder, stdout=StringIO())
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
                for path in sorted(Path(folder).glob("*.json")):
                    bundle.write(path, f"fixtures/{path.name}")
        response = HttpResponse(archive.getvalue(), content_type="application/zip")
        name = f"solozere-fixtures-{timezone.localdate():%Y-%m-%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    # Previews for the form, computed as the public site will show them

    def hours_preview_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        value = request.POST.get("value", "")
        try:
            validate_opening_hours(value)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)})
        days = hours.week(value) if value else []
        return JsonResponse({"week": [_describe_day(day, slots) for day, slots in days]})

    def markdown_preview_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return JsonResponse({"html": str(render_markdown(request.POST.get("value", "")))})

    def verify_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        place = get_object_or_404(Place, pk=object_id)
        if not can_edit_place(request.user, place):
            raise PermissionDenied
        place.verified_on = timezone.localdate()
        place._change_reason = "Informations confirmées à jour"
        place.save()
        self.message_user(
            request, _("Merci : « %(name)s » est confirmé à jour.") % {"name": place.name}
        )
        return HttpResponseRedirect(request.POST.get("next") or reverse("admin:index"))

    @admin.display(description=_("Aperçu des sept prochains jours"))
    def hours_preview(self, obj):
        if not obj or not obj.opening_hours:
            return "—"
        return " · ".join(_describe_day(day, slots) for day, slots in hours.week(obj.opening_hours))


def _describe_day(day, slots):
    opening = ", ".join(f"{start}–{end}" for start, end in slots) or gettext("fermé")
    return f"{date_format(day, 'l j/m')} : {opening}"
