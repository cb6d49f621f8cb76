"""Hostile input never breaks the back-office, whoever is signed in.

Every back-office address is read from the site's URL resolver: each registered model's list, add,
change, delete and history pages, the custom ones (verify, previews, import, export, invite,
simple-history's versions), the site's own (login, password change and reset, autocomplete, app
index, the catch-all). Each is asked for by each role — a superuser, a coordinator, the animateur
of a place, the animateur of another place, an account with no role — with GET and POST, real ids
and ids that cannot be ones. Then hypothesis (derandomised: the same examples on every run) throws
hostile addresses, query strings and posts at them, and aims at what holds most input: forms
pre-filled from the address and posted back with some of their own fields made hostile, lists with
their filters, actions and editable columns, and the CSV import.

Any answer but a server error is fine (200, 302, 400, 403, 404, 405): the test client raises the
view's exception. Each request runs in a transaction rolled back after it, so every example meets
the same data.
"""

import re
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from agenda.models import Event
from backoffice import imports
from backoffice.roles import ANIMATEURS, COORDINATORS
from charter.models import CharterVersion, Signature, TierRequirement
from contributions.models import Contribution
from places.models import Membership, Network, NetworkTier, Photo, Place, Room, Stop
from tests import directory
from tests.backoffice.test_permissions import form_data
from tests.factories import (
    CalendarFeedFactory,
    ClosedPeriodFactory,
    EventChangeFactory,
    NeedFactory,
    RegistrationFactory,
    RoomRequestFactory,
    UnmetSearchFactory,
)
from tests.fuzzing import fuzzing
from tests.reliability.test_bad_input import HOSTILE, junk
from tests.roles import make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]

ROLES = ["superuser", "coordinator", "animateur", "other_animateur", "no_role"]
EDITORS = ["superuser", "coordinator", "animateur"]


# The addresses, from the URL resolver


@dataclass(frozen=True)
class Route:
    """One back-office address: a template with a slot per parameter, and its model if any."""

    template: str
    params: tuple
    model: type | None

    def url(self, values=()):
        return "/" + self.template.format(*(quote(str(value), safe="") for value in values))

    @property
    def is_form(self):
        return bool(self.model) and self.template.endswith(("/add/", "/change/", "/history/{}/"))

    @property
    def is_list(self):
        return bool(self.model) and self.template.count("/") == 3


def _routes():
    routes = []

    def walk(patterns, prefix):
        for entry in patterns:
            regex = prefix + entry.pattern.regex.pattern.lstrip("^")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, regex)
            elif regex.startswith(("admin/", "reset/")):
                template, params = _template(regex)
                routes.append(Route(template, tuple(params), _model_of(template)))

    walk(get_resolver().url_patterns, "")
    return sorted(routes, key=lambda route: route.template)


def _template(regex):
    """The address a pattern matches, {} where its groups are; its groups' names (or '')."""
    text = regex.removesuffix(r"\Z").removesuffix("$").replace("^", "")
    group = r"\((?:\?P<(\w+)>)?[^)]*\)"
    params = re.findall(group, text)
    text = re.sub(group, "\x00", text)
    text = re.sub(r"\\(.)", r"\1", text).replace("{", "{{").replace("}", "}}")
    return text.replace("\x00", "{}"), params


def _model_of(template):
    parts = template.split("/")
    if len(parts) < 4:
        return None
    try:
        model = apps.get_model(parts[1], parts[2])
    except LookupError:
        return None
    return model if admin.site.is_registered(model) else None


ROUTES = _routes()
FORM_ROUTES = [route for route in ROUTES if route.is_form]
LIST_ROUTES = [route for route in ROUTES if route.is_list]


def test_the_back_office_addresses_are_all_found():
    """The resolver gives every registered model's pages and the custom ones, history included."""
    templates = {route.template for route in ROUTES}
    for model in apps.get_models():
        if admin.site.is_registered(model):
            base = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
            assert {base, base + "add/", base + "{}/change/", base + "{}/delete/"} <= templates
    assert {
        "admin/places/place/{}/history/{}/",
        "admin/places/place/{}/verify/",
        "admin/places/place/import/",
        "admin/places/place/geocode/",
        "admin/places/place/hours-preview/",
        "admin/auth/user/invite/",
        "admin/{}",
        "reset/{}/{}/",
    } <= templates
    assert len(FORM_ROUTES) > 30 and len(LIST_ROUTES) > 15


# The data: the small directory, one account per role, a row of every model the back-office edits


@pytest.fixture
def world(db, django_user_model, settings, tmp_path):
    """The small directory of tests/directory.py, an account per role, and a row of every model
    the back-office edits, the first place with a second version in its history."""
    directory.build()
    settings.MEDIA_ROOT = tmp_path
    place, other = Place.objects.order_by("slug")[:2]
    place.phone = "04 66 00 00 00"
    place.save()  # a second version in its history
    animateur = make_user(django_user_model, "anim@example.org", ANIMATEURS)
    other_animateur = make_user(django_user_model, "autre@example.org", ANIMATEURS)
    place.animateurs.add(animateur)
    other.animateurs.add(other_animateur)
    # Ids the requests may delete (rolled back) without removing a role's account or group.
    make_user(django_user_model, "cible@example.org")
    Group.objects.create(name="Groupe sans rôle")
    Stop.objects.create(place=place, commune=_a_commune(), schedule="mardi matin")
    room = Room.objects.create(place=place, name="Salle du four", capacity=8, bookable=True)
    RoomRequestFactory(room=room)
    ClosedPeriodFactory(room=room)
    Photo.objects.create(place=place, image=_image(), alt_text="La salle")
    Membership.objects.create(place=place, network=Network.objects.first(), start_year=2011)
    Contribution.objects.create(kind="suggestion", place_name="Le Fournil", message="Un four.")
    Contribution.objects.create(kind="error", place=place, message="Horaires faux.")
    Signature.objects.create(place=place, version=CharterVersion.objects.get())
    TierRequirement.objects.create(tier=NetworkTier.objects.first())
    EventChangeFactory(event=Event.objects.get(slug=directory.EVENTS[0]))
    # An address refused before any connection (FEEDS_ALLOW_PRIVATE_NETWORKS is off): the list's
    # « Importer maintenant » fetches nothing.
    CalendarFeedFactory(place=place, url="http://127.0.0.1:9/agenda.ics")
    RegistrationFactory(event=Event.objects.get(slug=directory.EVENTS[2]))
    NeedFactory(query="service=wifi&accessible=true")
    UnmetSearchFactory(commune_insee=_a_commune().insee)
    return {
        "superuser": django_user_model.objects.create_superuser("root@example.org"),
        "coordinator": make_user(django_user_model, "coord@example.org", COORDINATORS),
        "animateur": animateur,
        "other_animateur": other_animateur,
        "no_role": make_user(django_user_model, "rien@example.org"),
        "place": place,
    }


def _a_commune():
    return Place.objects.exclude(commune=None).order_by("slug").first().commune


def _image():
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def real_values(world, route, position):
    """Values of one of a route's parameters that name something, the animateur's place first."""
    param, model = route.params[position], route.model
    if param == "app_label":
        return ["places", "charter", "auth"]
    if param == "content_type_id":
        return [ContentType.objects.get_for_model(Place).pk]
    if model is Place and position == 0:
        return [world["place"].pk, Place.objects.exclude(pk=world["place"].pk).first().pk]
    if model is None:
        return [world["place"].pk]
    if position == 1:  # simple-history's version of the object
        versions = model.history.model.objects.order_by("history_id")
        if model is Place:
            versions = versions.filter(id=world["place"].pk)
        return list(versions.values_list("history_id", flat=True)[:2])
    return list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:2])


# Requests


def fetch(client, method, url, data=None):
    """One request, rolled back afterwards; a server error raises (the test client re-raises)."""
    cache.clear()
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    assert response.status_code != 500, (method, url)
    return response


def signed_in(client, world, role):
    client.logout()
    client.force_login(world[role])
    return client


def test_every_address_as_every_role(client, world):
    """Each route with real ids and with ids that cannot be ones, read and posted to."""
    failures = []
    for role in ROLES:
        client = signed_in(client, world, role)
        for route in ROUTES:
            reals = tuple(real_values(world, route, n)[0] for n in range(len(route.params)))
            for values in dict.fromkeys([reals, ("abc",) * len(reals)]):
                for method in ("get", "post"):
                    url = route.url(values)
                    try:
                        fetch(client, method, url, {"q": "x"} if method == "post" else None)
                    except Exception as error:  # noqa: BLE001 — every failure listed at once
                        failures.append(f"{role}: {method.upper()} {url}: {error!r}")
    assert not failures, "\n".join(failures)


# Hostile values

IMPOSSIBLE_IDS = ["abc", "0", "-1", "1.5", "9" * 25, "-" + "9" * 25, "1e3", " 1", "é", "<b>", ""]
ADMIN_KEYS = [
    *("q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters", "next"),
    *("action", "_selected_action", "select_across", "index", "post"),
    *("_save", "_continue", "_addanother", "_saveasnew", "_change_history"),
    *("form-TOTAL_FORMS", "form-INITIAL_FORMS", "form-0-id", "value", "term"),
    *("app_label", "model_name", "field_name", "page", "file", "confirm", "update_existing"),
    *("username", "password", "password1", "password2", "usable_password"),
    *("old_password", "new_password1", "new_password2", "email", "places"),
]
# A NUL anywhere in an address is refused before any view (test_bad_input covers it).
address_junk = junk.map(lambda value: value.replace("\x00", ""))
ids = st.one_of(st.sampled_from(IMPOSSIBLE_IDS), address_junk)
form_values = st.one_of(st.sampled_from(["", "on", "1", "0", "-1", *HOSTILE[:20]]), junk)


def field_names(model):
    return [field.name for field in model._meta.get_fields()] if model else []


def prefillable(model):
    """Fields an add form takes from its address: relations first (they are looked up)."""
    fields = [field for field in model._meta.get_fields() if field.concrete]
    return [field.name for field in fields if field.is_relation] + [field.name for field in fields]


def weighted(routes):
    """Half the draws among the place's routes: the richest forms, and the animateurs' own."""
    of_places = [route for route in routes if route.model is Place]
    return st.one_of(st.sampled_from(of_places), st.sampled_from(routes))


@fuzzing(60, derandomize=True)
@given(data=st.data())
def test_hostile_addresses_queries_and_posts(client, world, data):
    """Any route, role, ids, query string and body."""
    route = data.draw(st.sampled_from(ROUTES))
    values = [
        data.draw(st.one_of(st.sampled_from(real_values(world, route, n)), ids))
        for n in range(len(route.params))
    ]
    keys = st.sampled_from(ADMIN_KEYS + field_names(route.model))
    query = data.draw(st.lists(st.tuples(keys, address_junk), max_size=4).map(urlencode))
    client = signed_in(client, world, data.draw(st.sampled_from(ROLES)))
    if data.draw(st.booleans()):
        fetch(client, "get", f"{route.url(values)}?{query}")
    else:
        body = data.draw(st.dictionaries(keys, form_values, max_size=6))
        fetch(client, "post", f"{route.url(values)}?{query}", body)


@fuzzing(40, derandomize=True)
@given(data=st.data())
def test_forms_prefilled_and_posted_back_with_hostile_fields(client, world, data):
    """Each add, change and version form: opened pre-filled from the address (`?commune=…`), then
    posted back as its page gives it with a few of its own fields (inlines too) made hostile."""
    route = data.draw(weighted(FORM_ROUTES))
    values = [real_values(world, route, n)[0] for n in range(len(route.params))]
    client = signed_in(client, world, data.draw(st.sampled_from(EDITORS)))
    prefill = st.dictionaries(st.sampled_from(prefillable(route.model)), ids, max_size=3)
    page = fetch(client, "get", f"{route.url(values)}?{urlencode(data.draw(prefill))}")
    if page.status_code != 200 or "adminform" not in (page.context or {}):
        return
    form = form_data(page)
    keys = st.sampled_from(sorted(form) + ADMIN_KEYS)
    hostile = st.dictionaries(keys, st.one_of(form_values, st.lists(form_values)), max_size=4)
    fetch(client, "post", route.url(values), form | data.draw(hostile))


@fuzzing(60, derandomize=True)
@given(data=st.data())
def test_lists_take_hostile_filters_actions_and_edits(client, world, data):
    """Each list: filters, search, order and page with hostile values; its actions on rows that
    may not exist; its editable columns posted with hostile rows."""
    route = data.draw(weighted(LIST_ROUTES))
    model_admin = admin.site.get_model_admin(route.model)
    client = signed_in(client, world, data.draw(st.sampled_from(ROLES)))
    lookups = st.builds(
        str.__add__,
        st.sampled_from(field_names(route.model) + ["q", "o", "p", "all", "e", "_to_field"]),
        st.sampled_from(["", "__exact", "__id__exact", "__isnull", "__in", "__gte"]),
    )
    query = data.draw(st.lists(st.tuples(lookups, ids), max_size=4).map(urlencode))
    fetch(client, "get", f"{route.url()}?{query}")
    rows = st.one_of(st.sampled_from(real_values(world, route, 0) if route.params else [1]), ids)
    editable = ["id", *model_admin.list_editable]
    body = st.fixed_dictionaries(
        {
            "action": st.one_of(st.sampled_from([*model_admin.actions, "delete_selected"]), junk),
            "_selected_action": st.lists(rows, max_size=3),
        },
        optional={
            "index": st.sampled_from(["0", "1", "x"]),
            "select_across": st.sampled_from(["0", "1", "x"]),
            "post": st.just("yes"),
            "_save": st.just("Enregistrer"),
            "form-TOTAL_FORMS": st.sampled_from(["1", "2", "0", "x", "999999"]),
            "form-INITIAL_FORMS": st.sampled_from(["1", "0", "x"]),
            **{f"form-{n}-{name}": rows for n in (0, 1) for name in editable},
        },
    )
    fetch(client, "post", route.url(), data.draw(body))


GRID_KEYS = [
    *(f"{day}-{n}-{end}" for day in ("mo", "tu", "su") for n in (0, 2) for end in ("start", "end")),
    *(
        f"s{n}-{part}"
        for n in (0, 1, 7)
        for part in ("from-day", "from-month", "to-day", "to-month")
    ),
    *("s0-mo-0-start", "s1-su-2-end", "holidays", "sent", "", "-", "mo--start"),
]
grid_values = st.one_of(
    st.sampled_from(["", "9", "9h", "09:30", "24:00", "00:00", "23:59", "12", "8", "on", "-1"]),
    form_values,
)


@fuzzing(20)  # each draw opens and saves the whole place form: 60 in `make reliability`
@given(data=st.data())
def test_the_hours_grid_takes_any_input(client, world, data):
    """The place form's week grid and its live preview, posted with hostile ranges, dates and
    boxes (and French or junk as the expression): a form error or a preview error, never a 500."""
    client = signed_in(client, world, data.draw(st.sampled_from(EDITORS)))
    url = f"/admin/places/place/{world['place'].pk}/change/"
    page = fetch(client, "get", url)
    grid = data.draw(
        st.dictionaries(st.sampled_from(GRID_KEYS).map("hours_grid-{}".format), grid_values)
    )
    grid["hours_grid-sent"] = "1"
    expression = data.draw(st.sampled_from(["", "samedi matin", "lundi 9h-12h", "Mo 25:00"]))
    fetch(client, "post", url, form_data(page) | grid | {"opening_hours": expression})
    preview = {"source": data.draw(st.sampled_from(["grid", "", "x"])), "value": expression}
    fetch(client, "post", "/admin/places/place/hours-preview/", grid | preview)


@fuzzing(40)
@given(data=st.data())
def test_the_address_search_takes_any_query(client, world, ban, data):
    """The address search, switched on against the stand-in (answering, failing or too slow),
    asked with hostile queries and commune ids by every role: never a 500."""
    ban.mode = data.draw(st.sampled_from(["ok", "ok", "error", "garbage"]))
    client = signed_in(client, world, data.draw(st.sampled_from(ROLES)))
    params = data.draw(
        st.fixed_dictionaries(
            {"q": st.one_of(st.sampled_from(["Mende", "1 rue", ""]), address_junk)},
            optional={"commune": st.one_of(st.sampled_from(["1", "abc"]), ids)},
        )
    )
    fetch(client, "get", f"/admin/places/place/geocode/?{urlencode(params)}")


CSV_HEADERS = [
    ",".join(imports.PROJECT_HEADERS),
    ";".join(["lib_fs", "insee_com", "lib_com", "adresse", "latitude", "longitude", "mail"]),
]
cells = st.one_of(st.sampled_from(["", "48095", "Mende", "44.5", "3.5", "open", "wifi"]), junk)


@fuzzing(20, derandomize=True)
@given(
    header=st.sampled_from(CSV_HEADERS),
    lines=st.lists(st.lists(cells, max_size=12), max_size=4),
    raw=st.one_of(st.none(), st.binary(max_size=300)),
    update=st.booleans(),
)
def test_the_import_takes_any_file(client, world, header, lines, raw, update):
    """Bytes of any kind, or rows of hostile cells under a real header: previewed with their
    errors, then confirmed."""
    client = signed_in(client, world, "coordinator")
    separator = ";" if ";" in header else ","
    text = "\n".join([header, *(separator.join(line) for line in lines)])
    content = raw if raw is not None else text.encode("utf-8", "surrogatepass")
    upload = SimpleUploadedFile("lieux.csv", content, content_type="text/csv")
    url = "/admin/places/place/import/"
    cache.clear()
    with transaction.atomic():  # the preview's session and the confirmation, rolled back together
        preview = client.post(url, {"file": upload, "update_existing": "on" if update else ""})
        confirmed = client.post(url, {"confirm": "1"})
        transaction.set_rollback(True)
    assert {preview.status_code, confirmed.status_code} <= {200, 302}
