"""The moderation queue: coordinators accept or reject what the public sent."""

from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.models import Contribution
from places.filters import find_commune
from places.models import Place

from .base import BackOfficeAdmin


class ContributionForm(admin.options.forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["status", "place", "rejection_reason"]  # the admin's fieldsets list the rest

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == Contribution.Status.REJECTED and not cleaned.get("rejection_reason"):
            self.add_error("rejection_reason", _("Indiquez pourquoi la contribution est refusée."))
        is_report = self.instance.kind == Contribution.Kind.ERROR
        if status == Contribution.Status.ACCEPTED and is_report and not cleaned.get("place"):
            self.add_error("place", _("Choisissez le lieu concerné par ce signalement."))
        return cleaned


@admin.register(Contribution)
class ContributionAdmin(BackOfficeAdmin):
    form = ContributionForm
    list_display = ["__str__", "kind", "status", "created_at", "handled_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["place", "handled_by"]
    search_fields = ["place_name", "message", "place__name"]
    readonly_fields = [
        "kind",
        "place_name",
        "commune_name",
        "website",
        "message",
        "contact_email",
        "created_at",
        "handled_at",
        "handled_by",
    ]
    fields = [*readonly_fields[:6], "place", "status", "rejection_reason", *readonly_fields[6:]]
    autocomplete_fields = ["place"]

    def has_add_permission(self, request):
        return False  # contributions come from the public forms

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status != Contribution.Status.PENDING:
            obj.handled_at, obj.handled_by = timezone.now(), request.user
            if obj.status == Contribution.Status.ACCEPTED and obj.place is None:
                obj.place = self._place_from(obj)
        super().save_model(request, obj, form, change)

    def _place_from(self, contribution):
        """A suggested place becomes a project to verify, its history saying where it came from."""
        place = Place(
            name=contribution.place_name,
            status=Place.Status.PROJECT,
            to_verify=True,
            website=contribution.website,
            commune=find_commune(contribution.commune_name) if contribution.commune_name else None,
        )
        place.place_at_townhall()
        place._change_reason = f"Contribution du public n° {contribution.pk}"
        place.save()
        return place
