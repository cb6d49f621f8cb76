"""Events in the back-office: coordinators edit every event, animateurs those of their places,
with the same rules as the places themselves (backoffice.roles); networks' events are the
coordinators'. Each rule holds on the object, not only in the lists: another place's event
answers 403."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backoffice.admin.base import CheckboxFields, CheckedAutocompleteFields, CheckedIdsMixin
from backoffice.admin.history import EditedByRightsAdmin
from backoffice.roles import can_edit_place, editable_places, is_coordinator
from places.csvfiles import csv_response
from places.models import Place, Stop

from . import importing, recurrence, registrations
from .models import CalendarFeed, Event, EventChange, Registration

COORDINATOR_FIELDS = ["network", "published", "contact_email"]
# Each fetch takes up to FEEDS_TIMEOUT seconds: a request imports a few feeds, cron the rest.
MAX_IMPORTS_AT_ONCE = 3


def can_edit_event(user, event):
    if is_coordinator(user):
        return True
    return event.place_id is not None and can_edit_place(user, event.place)


class EventChangeInline(CheckedAutocompleteFields, admin.TabularInline):
    model = EventChange
    extra = 0

    def has_view_permission(self, request, obj=None):
        return obj is None or can_edit_event(request.user, obj)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


@admin.register(Event)
class EventAdmin(CheckboxFields, EditedByRightsAdmin):
    list_display = ["title", "start", "rule", "place", "network", "status", "published"]
    list_filter = ["status", "published", "free", "network", "place__commune__epci"]
    list_select_related = ["place", "network"]
    search_fields = ["title", "place__name", "network__label_fr"]
    # Plain lists and ticked boxes: select2's boxes and Django's two-list selector fail axe
    # (see backoffice.admin.base.CheckboxGroup); an animateur's list holds only their places.
    checkbox_fields = ["audiences"]
    date_hierarchy = "start"
    inlines = [EventChangeInline]
    history_list_display = ["status"]
    readonly_fields = ["feed", "registrations_list"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "published", "contact_email"]}),
        (_("Qui l'organise, où"), {"fields": ["place", "stop", "network", "commune", "feed"]}),
        (_("Quand"), {"fields": ["start", "end", "rule", "exceptions"]}),
        (_("Présentation"), {"fields": ["description", "image", "image_alt", "audiences"]}),
        (
            _("En pratique"),
            {
                "fields": [
                    "free",
                    "price_note",
                    "accessibility",
                    "accessibility_note",
                    "registration",
                    "registration_url",
                    "registration_limit",
                    "registration_closed",
                    "registrations_list",
                ]
            },
        ),
    ]
    actions = ["close_registrations"]

    @admin.display(description=_("inscrits"))
    def registrations_list(self, obj):
        if obj is None or obj.pk is None or not obj.registers_here:
            return "—"
        count = obj.registrations.count()
        url = reverse("admin:agenda_registration_changelist") + f"?event__id__exact={obj.pk}"
        label = ngettext("%(count)d inscription", "%(count)d inscriptions", count) % {
            "count": count
        }
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.action(description=_("Clore les inscriptions"), permissions=["change"])
    def close_registrations(self, request, queryset):
        closed = 0
        for event in queryset.filter(registration_closed=False):
            if can_edit_event(request.user, event):
                event.registration_closed = True
                event.save()
                closed += 1
        self.message_user(
            request,
            ngettext(
                "Inscriptions closes pour %(count)d évènement.",
                "Inscriptions closes pour %(count)d évènements.",
                closed,
            )
            % {"count": closed},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "registration_limit" in form.changed_data:
            registrations.fill_free_seats(obj)

    def get_queryset(self, request):
        events = super().get_queryset(request)
        if is_coordinator(request.user):
            return events
        places = editable_places(request.user, Place.objects.published())
        return events.filter(place__in=places.values("pk"))

    def get_object(self, request, object_id, from_field=None):
        """Any event, so that permissions (not the list's filter) answer: 403, not a redirect."""
        try:
            return Event.objects.select_related("place").get(pk=Event._meta.pk.to_python(object_id))
        except (Event.DoesNotExist, ValidationError, ValueError):
            return None

    def can_edit(self, user, obj):
        return can_edit_event(user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit_event(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_coordinator(request.user):
            fields += COORDINATOR_FIELDS
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        places = editable_places(request.user, Place.objects.published())
        if db_field.name == "place":
            kwargs["queryset"] = places
        elif db_field.name == "stop":
            kwargs["queryset"] = Stop.objects.filter(place__in=places.values("pk")).select_related(
                "place", "commune"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(EditedByRightsAdmin):
    """A place's own calendar, imported by `manage.py import_calendars` (cron) or at once from
    the list's action; its last fetch's report and error shown on it."""

    list_display = ["url", "place", "state", "last_success_at", "active"]
    list_filter = ["active"]
    list_select_related = ["place"]
    search_fields = ["url", "place__name"]
    autocomplete_fields = ["place"]
    actions = ["import_now"]
    history_list_display = ["active"]
    readonly_fields = [
        "last_fetched_at",
        "last_success_at",
        "last_error",
        "created_count",
        "updated_count",
        "cancelled_count",
        "skipped_count",
        "skipped_note",
    ]
    fieldsets = [
        (None, {"fields": ["place", "url", "active"]}),
        (
            _("Dernier import"),
            {
                "fields": readonly_fields,
                "description": _(
                    "Les évènements de l'agenda sont mis à jour à chaque import : une "
                    "modification faite ici à un évènement importé sera remplacée par celle de "
                    "l'agenda. Un évènement à venir qui disparaît de l'agenda est annulé."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        feeds = super().get_queryset(request)
        if is_coordinator(request.user):
            return feeds
        places = editable_places(request.user, Place.objects.published())
        return feeds.filter(place__in=places.values("pk"))

    def get_object(self, request, object_id, from_field=None):
        """Any feed, so that permissions (not the list's filter) answer: 403, not a redirect."""
        try:
            pk = CalendarFeed._meta.pk.to_python(object_id)
            return CalendarFeed.objects.select_related("place").get(pk=pk)
        except (CalendarFeed.DoesNotExist, ValidationError, ValueError):
            return None

    def can_edit(self, user, obj):
        return can_edit_place(user, obj.place)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.can_edit(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "place":
            kwargs["queryset"] = editable_places(request.user, Place.objects.published())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("état"))
    def state(self, feed):
        # Words, not the boolean icons: a green tick for « in error » reads as « fine ».
        if feed.last_error:
            return _("erreur")
        return _("importé") if feed.last_success_at else _("pas encore importé")

    @admin.action(description=_("Importer maintenant"), permissions=["change"])
    def import_now(self, request, queryset):
        for feed in queryset[:MAX_IMPORTS_AT_ONCE]:
            if importing.import_feed(feed):
                self.message_user(
                    request,
                    _(
                        "%(url)s : %(created)s ajoutés, %(updated)s mis à jour, "
                        "%(cancelled)s annulés."
                    )
                    % {
                        "url": feed.url,
                        "created": feed.created_count,
                        "updated": feed.updated_count,
                        "cancelled": feed.cancelled_count,
                    },
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _("%(url)s : %(error)s") % {"url": feed.url, "error": feed.last_error},
                    messages.ERROR,
                )


@admin.register(Registration)
class RegistrationAdmin(CheckedIdsMixin, admin.ModelAdmin):
    """Who registered for the events one may edit: seen, exported, cancelled (a freed seat goes to
    the first person waiting), never changed nor added here."""

    list_display = [
        "name",
        "email",
        "phone",
        "occurrence",
        "status",
        "to_tell",
        "event",
        "created_at",
    ]
    list_filter = ["status", "to_tell"]
    list_select_related = ["event"]
    search_fields = ["name", "email", "phone", "event__title"]
    date_hierarchy = "occurrence"
    actions = ["export_csv", "mark_told"]

    def get_queryset(self, request):
        found = super().get_queryset(request).select_related("event")
        if is_coordinator(request.user):
            return found
        places = editable_places(request.user, Place.objects.published())
        return found.filter(event__place__in=places.values("pk"))

    def get_object(self, request, object_id, from_field=None):
        """Any registration, so that permissions (not the list's filter) answer: 403."""
        try:
            pk = Registration._meta.pk.to_python(object_id)
            return Registration.objects.select_related("event__place").get(pk=pk)
        except (Registration.DoesNotExist, ValidationError, ValueError):
            return None

    def lookup_allowed(self, lookup, value, request=None):
        # The event's page links to its list.
        return lookup == "event__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_edit_event(request.user, obj.event))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit_event(request.user, obj.event))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        registrations.cancel(obj)

    def delete_queryset(self, request, queryset):
        for registration in queryset:
            registrations.cancel(registration)

    def has_tell_permission(self, request):
        """Whoever sees the list phones the people in it (the list holds only their events)."""
        return self.has_view_permission(request)

    @admin.action(description=_("Marquer comme prévenus par téléphone"), permissions=["tell"])
    def mark_told(self, request, queryset):
        """The news is given: nothing left to tell; a registration whose date no longer takes
        place then goes."""
        told = queryset.exclude(to_tell="")
        gone = told.filter(to_tell=Registration.News.GONE)
        count = told.count()
        with transaction.atomic():
            gone.delete()
            told.update(to_tell="")
        self.message_user(
            request,
            ngettext("%(count)d personne prévenue.", "%(count)d personnes prévenues.", count)
            % {"count": count},
        )

    @admin.action(description=_("Exporter en CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        header = [
            _("évènement"),
            _("date"),
            _("nom"),
            _("courriel"),
            _("téléphone"),
            _("état"),
            _("inscrit le"),
        ]
        rows = (
            (
                registration.event.title,
                f"{recurrence.local(registration.occurrence):%Y-%m-%d %H:%M}",
                registration.name,
                registration.email,
                registration.phone,
                registration.get_status_display(),
                f"{recurrence.local(registration.created_at):%Y-%m-%d %H:%M}",
            )
            for registration in queryset.select_related("event").order_by(
                "event__title", "occurrence", "created_at", "pk"
            )
        )
        return csv_response("inscriptions.csv", [str(name) for name in header], rows)
