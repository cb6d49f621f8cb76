"""Events in the back-office: coordinators edit every event, animateurs those of their places,
with the same rules as the places themselves (backoffice.roles); networks' events are the
coordinators'. Each rule holds on the object, not only in the lists: another place's event
answers 403."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import CheckboxFields, CheckedAutocompleteFields
from backoffice.admin.history import EditedByRightsAdmin
from backoffice.roles import can_edit_place, editable_places, is_coordinator
from places.models import Place, Stop

from .models import Event, EventChange

COORDINATOR_FIELDS = ["network", "published", "contact_email"]


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
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "published", "contact_email"]}),
        (_("Qui l'organise, où"), {"fields": ["place", "stop", "network", "commune"]}),
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
                ]
            },
        ),
    ]

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
