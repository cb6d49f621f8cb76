"""The needs in the back-office: coordinators edit « Je cherche… » and read the raw unmet demand.

Alerts have no screen: an e-mail address given to be told once is nobody's to read."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import ngettext

from backoffice.admin.base import BackOfficeAdmin

from .models import Need, UnmetSearch


@admin.register(Need)
class NeedAdmin(BackOfficeAdmin):
    list_display = ["label_fr", "label_en", "code", "pictogram", "query", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["code", "label_fr", "label_en", "query"]
    # One choice in a short fixed list: radio buttons, each named by its label.
    radio_fields = {"pictogram": admin.VERTICAL}
    fields = ["label_fr", "label_en", "code", "pictogram", "query", "position", "active"]


@admin.register(UnmetSearch)
class UnmetSearchAdmin(BackOfficeAdmin):
    """Counted by the site, never typed: read only."""

    list_display = ["day", "words", "criteria", "commune_insee", "radius", "count"]
    date_hierarchy = "day"
    search_fields = ["words", "criteria", "commune_insee"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def broken_needs(request):
    """The back-office home's line, for those who edit the needs: the needs no longer offered
    because their search fails (a code gone since, needs.signals), linked to those not offered."""
    if not request.user.has_perm("needs.change_need"):
        return None
    not_offered = Need.objects.filter(active=False).only("query")
    broken = sum(1 for need in not_offered if need.search_errors())
    if not broken:
        return None
    text = ngettext(
        "%(count)s besoin de « Je cherche… » n’est plus proposé : sa recherche est à corriger",
        "%(count)s besoins de « Je cherche… » ne sont plus proposés : "
        "leur recherche est à corriger",
        broken,
    ) % {"count": broken}
    return text, reverse("admin:needs_need_changelist") + "?active__exact=0"
