"""Pages of django-simple-history, answering 404 to an address whose ids cannot be ids, and
restoring a version in one transaction."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

from ..roles import is_coordinator
from .base import CheckedIdsMixin


class HistoryAdmin(CheckedIdsMixin, SimpleHistoryAdmin):
    """simple-history queries with the address's ids as they come: « abc » ended in a 500."""

    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _key_or_404(self.model, object_id)
        _key_or_404(get_history_model_for_model(self.model), version_id)
        # Restoring a version saves the row and its related rows: all of it, or nothing, as
        # Django's own change form does.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class EditedByRightsAdmin(HistoryAdmin):
    """A history-kept row seen and changed only by whoever `can_edit(user, obj)` (the rule holds
    on the object: another one's pages answer 403); restoring a version is for coordinators,
    since a restored version brings back every field, coordinators' ones too."""

    def can_edit(self, user, obj):
        raise NotImplementedError

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self.can_edit(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.can_edit(request.user, obj))

    def has_change_history_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history checks only the right to read the history, even when a version is posted
        # to be restored.
        if request.method == "POST" and not self.has_change_history_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _key_or_404(model, value):
    try:
        model._meta.pk.to_python(unquote(value))
    except ValidationError as error:
        raise Http404 from error
