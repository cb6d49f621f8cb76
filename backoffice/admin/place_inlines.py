"""What the place form edits beside the place: memberships (coordinators), stops, rooms, photos."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models

from places.models import Membership, Photo, Room, Stop
from places.models.networks import UNDATED_TWICE
from territory.validators import validate_in_lozere

from ..roles import can_edit_place, is_coordinator
from .base import CheckboxFields, CheckedAutocompleteFields


class CoordinatorOnlyInline:
    """An inline shown to coordinators only (network memberships)."""

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class MembershipFormSet(forms.BaseInlineFormSet):
    """Two undated memberships of one network, in the form or already saved, are refused with a
    message. Django's own check across the rows leaves out conditional constraints, and each row's
    check leaves out the place (the inline's key), so the database would answer with an error
    page."""

    def clean(self):
        super().clean()
        undated = set()
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            network = form.cleaned_data.get("network")
            if network is None or form.cleaned_data.get("start_year") is not None:
                continue
            if network in undated:
                form.add_error("start_year", UNDATED_TWICE)
            undated.add(network)


class MembershipInline(CoordinatorOnlyInline, CheckedAutocompleteFields, admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0


class PlaceChildInline(CheckboxFields):
    """Stops, rooms and photos: editable by whoever may edit the place."""

    def has_view_permission(self, request, obj=None):
        return obj is None or can_edit_place(request.user, obj)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class StopForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        try:
            validate_in_lozere(cleaned.get("latitude"), cleaned.get("longitude"))
        except forms.ValidationError as error:
            self.add_error("latitude", error)
        return cleaned


class StopInline(PlaceChildInline, CheckedAutocompleteFields, admin.TabularInline):
    model = Stop
    form = StopForm
    extra = 0


class RoomInline(PlaceChildInline, admin.StackedInline):
    model = Room
    extra = 0
    checkbox_fields = ["equipment"]


class PhotoInline(PlaceChildInline, admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["image", "alt_text", "credit", "room", "position"]
    # A plain file field: the model's validator checks the image, its size in pixels first and
    # before decoding it; Django's image field would open it first, and call a decompression bomb
    # merely « not a valid image ».
    formfield_overrides = {
        models.ImageField: {
            "form_class": forms.FileField,
            "widget": AdminFileWidget(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
    }

    def get_formset(self, request, obj=None, **kwargs):
        """A photo may show one of this place's rooms (saved ones: a room added in the same form
        is offered once the place is saved)."""
        formset = super().get_formset(request, obj, **kwargs)
        room = formset.form.base_fields.get("room")
        if room is not None:
            room.queryset = obj.rooms.all() if obj is not None else Room.objects.none()
        return formset
