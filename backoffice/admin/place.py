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
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from opendata import mednum
from places.hours_french import FRENCH_EXAMPLE, to_expression
from places.models import Place
from territory.geo import in_lozere
from territory.validators import far_from_commune, validate_in_lozere

from .. import reminders
from ..roles import can_edit_place, editable_places, is_coordinator
from . import concurrency
from .base import CheckboxFields
from .history import EditedByRightsAdmin
from .hours_grid import WeekGridField, grid_of
from .imports import PlaceImportMixin
from .place_form import PlaceFormHelpers
from .place_inlines import MembershipInline, PhotoInline, RoomInline, StopInline

# What only coordinators may change on a place (and, through their own rule, its status: see
# PlaceAdminForm). An animateur confirms « dernière vérification » with the « à jour » action.
COORDINATOR_FIELDS = ["slug", "to_verify", "verified_on", "animateurs", "archived_at"]


class PlaceAdminForm(concurrency.VersionedPlaceForm):
    """The place form. Opening hours are typed in a week grid or, « en mode expert », as an
    expression (OpenStreetMap's syntax, or French that is translated into it): the expression
    wins when it was changed, the grid otherwise."""

    hours_grid = WeekGridField(label=_("Horaires d'ouverture"), required=False)

    class Meta:
        model = Place
        fields = ["status"]  # the admin's fieldsets list the rest
        # French hours may take a line a rule.
        widgets = {"opening_hours": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "hours_grid" in self.fields:
            self.initial["hours_grid"] = grid_of(self.instance.opening_hours)
        if "opening_hours" in self.fields:
            field = self.fields["opening_hours"]
            field.label = _("Expression OpenStreetMap (mode expert)")
            field.help_text = _(
                "Les horaires dans la syntaxe d'OpenStreetMap (« Mo-Fr 09:00-12:00,14:00-18:00 »), "
                "que la grille écrit. Vous pouvez aussi la modifier, ou y écrire en français (« "
                "%(example)s ») : modifiée, elle l'emporte sur la grille."
            ) % {"example": FRENCH_EXAMPLE}

    def clean_opening_hours(self):
        typed = self.cleaned_data.get("opening_hours") or ""
        try:
            return to_expression(typed)
        except ValidationError:
            # The form comes back with what was typed: the hours' preview says it is not valid
            # rather than showing the hours saved before.
            self.instance.opening_hours = typed
            raise

    def clean(self):
        cleaned = super().clean()
        try:
            validate_in_lozere(cleaned.get("latitude"), cleaned.get("longitude"))
        except ValidationError as error:
            self.add_error("latitude", error)
        grid = cleaned.get("hours_grid")
        changed = self.changed_data
        if grid is not None and "hours_grid" in changed and "opening_hours" not in changed:
            cleaned["opening_hours"] = grid.expression()
        return cleaned

    def clean_status(self):
        status = self.cleaned_data["status"]
        closing = Place.Status.CLOSED in {status, self.instance.status}
        if closing and status != self.instance.status and not is_coordinator(self.user):
            raise ValidationError(
                _("Seuls les coordinateurs peuvent fermer un lieu ou le rouvrir.")
            )
        return status


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
        if self.value() == "complete":
            return mednum.complete(queryset)
        if self.value() == "incomplete":
            return mednum.incomplete(queryset)
        return queryset


@admin.register(Place)
class PlaceAdmin(CheckboxFields, PlaceFormHelpers, PlaceImportMixin, EditedByRightsAdmin):
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
    # No select2 on this form: its boxes fail axe (a textbox named by nothing); the communes of
    # Lozère fit a plain list, and ticked boxes replace Django's two-list selector and select2's
    # box of several values (backoffice.admin.base.CheckboxGroup).
    checkbox_fields = ["types", "families", "services", "audiences", "animateurs"]
    readonly_fields = ["hours_preview", "created_at", "updated_at"]
    history_list_display = ["status"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "status",
                    "to_verify",
                    "verified_on",
                    "review_months",
                    "version",
                ]
            },
        ),
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
        (
            _("Horaires"),
            {"fields": ["hours_grid", "opening_hours", "hours_preview", "opening_hours_note"]},
        ),
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
        (_("Sources"), {"fields": ["sources"]}),
    ]
    actions = ["purge"]

    class Media:
        css = {"all": ["vendor/leaflet/leaflet.css"]}
        js = ["vendor/leaflet/leaflet.js", "js/admin-place.js"]

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

    def can_edit(self, user, obj):
        return can_edit_place(user, obj)

    def has_add_permission(self, request):
        return is_coordinator(request.user)

    def has_delete_permission(self, request, obj=None):
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
        form.watched = concurrency.Watched(
            [name for name in form.base_fields if name not in ("version", "hours_grid")],
            [inline.model for inline in self.get_inline_instances(request, obj)],
        )
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic():
            if request.method == "POST" and object_id is not None:
                # Saves of one place wait for each other: each checks the version the last left.
                list(Place.objects.select_for_update().filter(pk=_pk(object_id)).values("pk"))
            return super().changeform_view(request, object_id, form_url, extra_context)

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
        if not obj.is_approximate and (
            warning := far_from_commune(obj.commune, obj.latitude, obj.longitude)
        ):
            self.message_user(request, warning, messages.WARNING)

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
                "geocode/",
                self.admin_site.admin_view(self.geocode_view),
                name="places_place_geocode",
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

    def verify_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        with transaction.atomic():
            # Locked: a form being saved at the same moment is not written over with old values.
            place = Place.objects.select_for_update().filter(pk=_pk(object_id)).first()
            if place is None:
                raise Http404
            if not can_edit_place(request.user, place):
                raise PermissionDenied
            reminders.record_confirmation(place, request.user)
        self.message_user(
            request, _("Merci : « %(name)s » est confirmé à jour.") % {"name": place.name}
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index")
        return HttpResponseRedirect(target)


def _pk(object_id):
    """The place's key in an admin address, or None when it cannot be one (« abc »)."""
    try:
        return Place._meta.pk.to_python(unquote(object_id))
    except ValidationError:
        return None
