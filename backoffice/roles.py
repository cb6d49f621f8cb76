"""Who may do what in the back-office: the two roles, defined once.

Coordinators (Lozère Développement) manage everything. Animateurs keep their own places true and
nothing else. A user with neither role gets nothing; a superuser is for operators only.
The groups and their permissions are (re)made after every migration, never by hand.
"""

from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

COORDINATORS = "Coordinateurs"
ANIMATEURS = "Animateurs"

COORDINATOR_APPS = ["territory", "places", "contributions", "charter", "agenda", "needs", "rooms"]
COORDINATOR_EXTRA = ["auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group"]
ANIMATEUR_PERMISSIONS = [
    "places.view_place",
    "places.change_place",
    "places.view_historicalplace",
    *(
        f"places.{action}_{model}"
        for model in ("stop", "room", "photo")
        for action in ("view", "add", "change", "delete")
    ),
    # Their places' events, the dates of them that change, and the calendars they import.
    "agenda.view_historicalevent",
    "agenda.view_historicalcalendarfeed",
    *(
        f"agenda.{action}_{model}"
        for model in ("event", "eventchange", "calendarfeed")
        for action in ("view", "add", "change", "delete")
    ),
    # Who registered for them: seen, exported and cancelled, never changed.
    "agenda.view_registration",
    "agenda.delete_registration",
    # Their rooms' requests, answered (never typed nor deleted), and closed periods.
    "rooms.view_roomrequest",
    "rooms.change_roomrequest",
    *(f"rooms.{action}_closedperiod" for action in ("view", "add", "change", "delete")),
    # Reference data their forms choose from.
    "territory.view_commune",
    *(f"places.view_{model}" for model in ("service", "audience", "placetype", "family")),
]


def _permissions(names):
    wanted = {tuple(name.split(".")) for name in names}
    return [
        perm
        for perm in Permission.objects.select_related("content_type")
        if (perm.content_type.app_label, perm.codename) in wanted
    ]


def ensure_roles(**kwargs):
    """post_migrate receiver: create both groups and give them exactly their permissions."""
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.set(
        list(Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS))
        + _permissions(COORDINATOR_EXTRA)
    )
    animateurs, _ = Group.objects.get_or_create(name=ANIMATEURS)
    animateurs.permissions.set(_permissions(ANIMATEUR_PERMISSIONS))


def _groups(user):
    if not hasattr(user, "_solozere_groups"):
        user._solozere_groups = (
            set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        )
    return user._solozere_groups


def is_coordinator(user):
    return user.is_active and (user.is_superuser or COORDINATORS in _groups(user))


def is_animateur(user):
    return user.is_active and ANIMATEURS in _groups(user)


def editable_places(user, queryset):
    """The places a user may edit: all for coordinators, their own for animateurs, else none."""
    if is_coordinator(user):
        return queryset
    if is_animateur(user):
        return queryset.animated_by(user)
    return queryset.none()


def can_edit_place(user, place):
    if is_coordinator(user):
        return True
    return is_animateur(user) and place.animateurs.filter(pk=user.pk).exists()


def coordinators_only(view):
    """A back-office page for coordinators: others signed in get 403, the public the login."""

    @wraps(view)
    @staff_member_required
    def wrapped(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
