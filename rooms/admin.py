"""Rooms' requests and closed periods in the back-office: coordinators see every one, animateurs
those of their places' rooms (backoffice.roles), on the object as in the lists (another place's
request answers 403). A request is answered here (accept, refuse with a reason, cancel), never
typed nor deleted: its steps are bookings.py's, with their e-mails. Requests keep no history
(their personal data would stay in it)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backoffice.admin.base import CheckedIdsMixin
from backoffice.roles import can_edit_place, editable_places, is_coordinator
from places.csvfiles import csv_response
from places.models import Place, Room

from . import bookings
from .forms import one_line_only
from .models import BookedSlot, ClosedPeriod, RoomRequest

Status = RoomRequest.Status
OVERLAP = _("Ce créneau chevauche une réservation déjà acceptée : il ne peut pas être accepté.")


def waiting_requests(request):
    """The back-office home's line: the requests waiting for an answer, of the rooms the user
    answers for (the list's own rights), linked to that list."""
    waiting = _of_editable_places(
        request, RoomRequest.objects.filter(status=Status.ASKED), "room__place"
    ).count()
    if not waiting:
        return None
    text = ngettext(
        "%(count)s demande de salle attend votre réponse",
        "%(count)s demandes de salle attendent votre réponse",
        waiting,
    ) % {"count": waiting}
    url = reverse("admin:rooms_roomrequest_changelist") + f"?status__exact={Status.ASKED}"
    return text, url


def _of_editable_places(request, queryset, lookup):
    if is_coordinator(request.user):
        return queryset
    places = editable_places(request.user, Place.objects.published())
    return queryset.filter(**{f"{lookup}__in": places.values("pk")})


class AnswerForm(forms.ModelForm):
    """The answer to a request: accept, refuse with a reason, or cancel an accepted one."""

    decision = forms.ChoiceField(
        label=_("Réponse"),
        required=False,
        choices=[
            ("", "—"),
            ("accept", _("Accepter")),
            ("refuse", _("Refuser")),
            ("cancel", _("Annuler (par le lieu)")),
        ],
        widget=forms.RadioSelect,
    )
    refusal = forms.CharField(
        label=_("Motif du refus"), required=False, max_length=300, validators=[one_line_only]
    )

    class Meta:
        model = RoomRequest
        fields = []

    def clean(self):
        cleaned = super().clean()
        decision, status = cleaned.get("decision"), self.instance.status
        if decision in ("accept", "refuse") and status != Status.ASKED:
            raise ValidationError(_("Cette demande a déjà reçu une réponse."))
        if decision == "cancel" and status not in (Status.ASKED, Status.ACCEPTED):
            raise ValidationError(_("Cette demande n'est plus en cours."))
        if decision == "refuse" and not (cleaned.get("refusal") or "").strip():
            self.add_error("refusal", _("Indiquez le motif du refus."))
        if decision == "accept":
            booked = BookedSlot.objects.filter(
                room=self.instance.room_id,
                start__gte=self.instance.start,
                start__lt=self.instance.end,
            )
            if booked.exists():
                raise ValidationError(OVERLAP)
        return cleaned


@admin.register(RoomRequest)
class RoomRequestAdmin(CheckedIdsMixin, admin.ModelAdmin):
    form = AnswerForm
    list_display = ["start", "room", "place", "people", "status", "name"]
    list_filter = ["status", "room__kind"]
    list_select_related = ["room__place"]
    search_fields = ["name", "email", "organisation", "room__name", "room__place__name"]
    date_hierarchy = "start"
    actions = ["accept_requests", "export_csv"]
    readonly_fields = [
        "room",
        "start",
        "end",
        "people",
        "status",
        "reason",
        "cancelled_by",
        "name",
        "email",
        "phone",
        "organisation",
        "purpose",
        "created_at",
        "answered_at",
        "calendar",
    ]
    fieldsets = [
        (None, {"fields": ["room", "start", "end", "people", "status", "reason", "cancelled_by"]}),
        (_("Demandeur"), {"fields": ["name", "email", "phone", "organisation", "purpose"]}),
        (_("Répondre"), {"fields": ["decision", "refusal"]}),
        (None, {"fields": ["created_at", "answered_at", "calendar"]}),
    ]

    @admin.display(description=_("lieu"), ordering="room__place__name")
    def place(self, obj):
        return obj.room.place

    @admin.display(description=_("agenda des réservations du lieu"))
    def calendar(self, obj):
        url = reverse("rooms:private-ics", args=[bookings.calendar_token(obj.room.place)])
        return format_html(
            '<a href="{}">{}</a> <span class="help">{}</span>',
            url,
            _("Adresse secrète (iCalendar)"),
            _("avec les détails : à ne pas partager"),
        )

    def get_queryset(self, request):
        found = super().get_queryset(request).select_related("room__place")
        return _of_editable_places(request, found, "room__place")

    def get_object(self, request, object_id, from_field=None):
        """Any request, so that permissions (not the list's filter) answer: 403."""
        try:
            pk = RoomRequest._meta.pk.to_python(object_id)
            return RoomRequest.objects.select_related("room__place").get(pk=pk)
        except (RoomRequest.DoesNotExist, ValidationError, ValueError):
            return None

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_edit_place(request.user, obj.room.place))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_place(request.user, obj.room.place))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "accept":
                bookings.accept(obj)
            elif decision == "refuse":
                bookings.refuse(obj, form.cleaned_data["refusal"])
            elif decision == "cancel":
                bookings.cancel(obj, RoomRequest.Side.PLACE)
        except bookings.Refused as refusal:
            messages.error(request, str(refusal))

    def save_related(self, request, form, formsets, change):
        pass  # nothing but the answer is changed here

    def log_change(self, request, obj, message):
        pass  # the back-office's log would keep the requester's name in its text

    @admin.action(description=_("Accepter les demandes choisies"), permissions=["change"])
    def accept_requests(self, request, queryset):
        done = 0
        for found in queryset.filter(status=Status.ASKED).order_by("created_at", "pk"):
            try:
                bookings.accept(found)
                done += 1
            except bookings.Refused as refusal:
                messages.warning(request, f"{found} : {refusal}")
        self.message_user(
            request,
            ngettext("%(count)d demande acceptée.", "%(count)d demandes acceptées.", done)
            % {"count": done},
        )

    @admin.action(description=_("Exporter en CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        header = [
            _("lieu"),
            _("salle"),
            _("début"),
            _("fin"),
            _("personnes"),
            _("état"),
            _("nom"),
            _("courriel"),
            _("téléphone"),
            _("structure"),
            _("objet"),
            _("demandée le"),
        ]
        rows = (
            (
                found.room.place.name,
                found.room.name,
                f"{bookings.local(found.start):%Y-%m-%d %H:%M}",
                f"{bookings.local(found.end):%Y-%m-%d %H:%M}",
                found.people,
                found.get_status_display(),
                found.name,
                found.email,
                found.phone,
                found.organisation,
                found.purpose,
                f"{bookings.local(found.created_at):%Y-%m-%d %H:%M}",
            )
            for found in queryset.select_related("room__place").order_by("start", "pk")
        )
        return csv_response("demandes-de-salle.csv", [str(name) for name in header], rows)


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(CheckedIdsMixin, admin.ModelAdmin):
    list_display = ["room", "place", "first_day", "last_day", "note"]
    list_select_related = ["room__place"]
    search_fields = ["room__name", "room__place__name", "note"]
    date_hierarchy = "first_day"

    @admin.display(description=_("lieu"), ordering="room__place__name")
    def place(self, obj):
        return obj.room.place

    def get_queryset(self, request):
        found = super().get_queryset(request).select_related("room__place")
        return _of_editable_places(request, found, "room__place")

    def get_object(self, request, object_id, from_field=None):
        try:
            pk = ClosedPeriod._meta.pk.to_python(object_id)
            return ClosedPeriod.objects.select_related("room__place").get(pk=pk)
        except (ClosedPeriod.DoesNotExist, ValidationError, ValueError):
            return None

    def _allowed(self, request, obj):
        return obj is None or can_edit_place(request.user, obj.room.place)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allowed(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "room":
            rooms = Room.objects.select_related("place").order_by("place__name", "name")
            kwargs["queryset"] = _of_editable_places(request, rooms, "place")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
