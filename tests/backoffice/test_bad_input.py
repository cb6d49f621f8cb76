"""What once answered 500 in the back-office: a form error or a 404 instead, nothing lost."""

from io import BytesIO

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from backoffice.admin.base import CheckedAutocompleteFields, CheckedIdsMixin
from charter.models import CharterVersion, Signature
from places.models import Photo, Place
from places.models.networks import UNDATED_TWICE
from tests.backoffice.test_permissions import form_data
from tests.factories import EpciFactory, MembershipFactory, StopFactory

pytestmark = pytest.mark.django_db


def test_opening_hours_french_cannot_read_are_a_form_error(users, login, place_a):
    """« le samedi matin » says no hours: refused with what to write; the form comes back with
    everything else that was typed, and nothing is saved. (French that reads one way is saved in
    OpenStreetMap's syntax: tests/backoffice/test_place_hours.py.)"""
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    typed = {"opening_hours": "le samedi matin", "phone": "04 66 00 00 00"}
    response = client.post(url, form_data(client.get(url)) | typed)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Horaires d'ouverture invalides" in errors["opening_hours"][0]
    assert "« du lundi au vendredi 9h-12h 14h-17h »" in errors["opening_hours"][0]
    html = response.content.decode()
    assert 'value="04 66 00 00 00"' in html
    assert "le samedi matin" in html
    assert "Aucun aperçu : les horaires saisis ne sont pas valides." in html
    assert 'name="hours_grid-mo-0-start"' in html  # the grid, shown again as it was
    place_a.refresh_from_db()
    assert (place_a.opening_hours, place_a.phone) == ("Mo-Fr 09:00-12:00", "")


def truncated_jpeg():
    buffer = BytesIO()
    Image.effect_noise((400, 300), 64).convert("RGB").save(buffer, format="JPEG")
    data = buffer.getvalue()
    return SimpleUploadedFile("photo.jpg", data[: len(data) // 2], content_type="image/jpeg")


def test_a_truncated_jpeg_is_a_form_error(users, login, place_a, settings, tmp_path):
    """Its header reads well; its pixels end halfway: refused as unreadable, before any save."""
    settings.MEDIA_ROOT = tmp_path
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = form_data(client.get(url)) | {
        "photos-TOTAL_FORMS": "1",
        "photos-0-image": truncated_jpeg(),
        "photos-0-alt_text": "La salle",
        "photos-0-position": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    photos = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "photos"
    )
    assert "n'est pas une image lisible" in str(photos.errors)
    assert not Photo.objects.exists()


@pytest.fixture
def signature(place_a):
    version = CharterVersion.objects.create(number="1", title_fr="C", title_en="C")
    return Signature.objects.create(place=place_a, version=version)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/places/place/abc/history/",
        "/admin/places/place/abc/history/1/",
        "/admin/places/place/{place}/history/abc/",
        "/admin/places/place/1.5/history/",
        "/admin/charter/signature/abc/history/",
        "/admin/charter/signature/{signature}/history/abc/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_id_that_cannot_be_one_in_a_history_address_is_a_404(
    users, login, place_a, signature, url, method
):
    """A history or version address with an id that cannot be one is a 404, not a 500."""
    url = url.format(place=place_a.pk, signature=signature.pk)
    response = getattr(login(users["coordinator"]), method)(url)
    assert response.status_code == 404


@pytest.mark.parametrize("object_id", ["abc", "1.5", "%C3%A9", "0"])
def test_confirming_a_place_that_cannot_exist_is_a_404(users, login, object_id):
    """« Les informations sont à jour » posted for an id that cannot name a place is a 404."""
    response = login(users["coordinator"]).post(f"/admin/places/place/{object_id}/verify/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/places/place/abc/change/",
        "/admin/places/place/abc/delete/",
        "/admin/places/room/abc/change/",
        "/admin/auth/user/abc/change/",
    ],
)
def test_other_admin_addresses_with_such_an_id_answer_without_an_error(users, login, url):
    """Django's own pages send to the back-office home, saying the object does not exist."""
    client = login(users["coordinator"])
    assert client.get(url).status_code in {302, 404}
    assert client.post(url, {"post": "yes"}).status_code in {302, 404}


# Found by the back-office fuzzing (tests/reliability/test_bad_input_backoffice.py)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("action", ["change", "delete"])
def test_an_empty_to_field_finds_the_object_by_its_key(admin_client, method, action):
    """« _to_field= » (empty) passed Django's check and was then looked up as a field named "",
    a 500 on change and delete pages: it now means the object's key, as when absent."""
    epci = EpciFactory()
    url = reverse(f"admin:territory_epci_{action}", args=[epci.pk])
    response = getattr(admin_client, method)(url, {"_to_field": ""})
    assert response.status_code in {200, 302}


def test_every_back_office_page_checks_the_ids_it_is_sent():
    """The fix below is in a mixin: every registered model admin must have it."""
    missing = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if not isinstance(model_admin, CheckedIdsMixin)
    ]
    assert not missing


@pytest.mark.parametrize("action", ["delete_selected", "purge"])
@pytest.mark.parametrize("selected", [["abc"], ["1.5", ""], ["9" * 25]])
def test_an_action_on_rows_that_cannot_exist_selects_nothing(
    users, login, place_a, admin_user, action, selected
):
    """Django's admin put the ticked ids in a query as sent: « abc » ended in a 500."""
    client = login(admin_user)
    data = {"action": action, "_selected_action": selected, "post": "yes"}
    response = client.post(reverse("admin:places_place_changelist"), data, follow=True)
    assert response.status_code == 200
    assert Place.objects.filter(pk=place_a.pk, archived_at=None).exists()


@pytest.mark.parametrize("value", ["abc", "9" * 25, "-" + "9" * 25])
def test_an_add_form_prefilled_with_what_names_nothing(users, login, value):
    """`?commune=abc` pre-filled the commune's autocomplete, which looked it up: a 500."""
    client = login(users["coordinator"])
    url = reverse("admin:places_place_add")
    response = client.get(url, {"commune": value, "animateurs": value, "name": "Le Fournil"})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["name"] == "Le Fournil"
    if value == "abc":
        assert "commune" not in form.initial and "animateurs" not in form.initial


def test_numbers_past_64_bits_name_nothing_on_every_database(users, login, place_a):
    """SQLite cannot bind them and raised OverflowError where PostgreSQL finds no row: in a
    list's filter, a form's choice, an inline's. Both databases now answer alike."""
    huge = 10**25
    assert not Place.objects.filter(commune=huge).exists()
    assert not Place.objects.filter(pk__in=[place_a.pk, -huge]).exclude(pk=place_a.pk).exists()
    client = login(users["coordinator"])
    changelist = reverse("admin:places_place_changelist")
    assert client.get(changelist, {"commune": huge, "services__in": f"1,{huge}"}).status_code == 200
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = form_data(client.get(url)) | {
        "services": [str(huge)],
        "stops-TOTAL_FORMS": "1",
        "stops-0-commune": str(huge),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "services" in response.context["adminform"].form.errors


def test_a_csv_with_nul_bytes_is_refused_with_its_reason(users, login):
    """A spreadsheet saved as UTF-16, or any file with NUL bytes: PostgreSQL refuses them in a
    query (a 500 when a row was matched to a commune); the import now says what to do."""
    client = login(users["coordinator"])
    content = b"lib_fs;insee_com\nFrance services\x00;48095\n"
    upload = SimpleUploadedFile("lieux.csv", content, content_type="text/csv")
    response = client.post(reverse("admin:places_place_import"), {"import_file": upload})
    assert response.status_code == 200
    assert "caractères nuls" in str(response.context["form"].errors["import_file"])


def test_every_autocomplete_checks_the_ids_it_shows():
    """The fix below is in a mixin: every model admin and inline with autocomplete fields must
    have it."""
    model_admins = list(admin.site._registry.values())
    classes = [type(model_admin) for model_admin in model_admins] + [
        inline for model_admin in model_admins for inline in model_admin.inlines
    ]
    missing = [
        cls.__name__
        for cls in classes
        if cls.autocomplete_fields and not issubclass(cls, CheckedAutocompleteFields)
    ]
    assert not missing


@pytest.mark.parametrize(
    "field", ["commune", "animateurs", "memberships-0-network", "stops-0-commune"]
)
def test_a_form_posted_back_with_what_names_nothing_in_an_autocomplete(
    users, login, place_a, field
):
    """`memberships-0-network=%` posted with a place's form: shown again, the autocomplete looked
    « % » up to show it, a 500. The form now comes back with its error, and nothing is saved."""
    MembershipFactory(place=place_a)
    StopFactory(place=place_a, commune=place_a.commune)
    client = login(users["coordinator"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = form_data(client.get(url)) | {field: "%", "phone": "04 66 00 00 00"}
    response = client.post(url, data)
    assert response.status_code == 200
    place_a.refresh_from_db()
    assert place_a.phone == ""


def membership_rows(formset_data, rows):
    """The memberships inline posted with `rows` (network, start year) after the saved ones."""
    initial = int(formset_data["memberships-INITIAL_FORMS"])
    data = dict(formset_data) | {"memberships-TOTAL_FORMS": str(initial + len(rows))}
    for index, (network, year) in enumerate(rows, start=initial):
        data[f"memberships-{index}-network"] = network.pk
        data[f"memberships-{index}-start_year"] = year
    return data


@pytest.mark.parametrize("saved", [True, False], ids=["one-saved", "both-posted"])
def test_a_second_undated_membership_of_a_network_is_a_form_error(users, login, place_a, saved):
    """Two undated memberships of one place in one network would share their natural key (the
    database refuses them): whether the first is saved or posted alongside, the form says so
    beside the second instead of an error page, and nothing is saved."""
    first = MembershipFactory(place=place_a, start_year=None)
    network = first.network
    if not saved:
        first.delete()
    client = login(users["coordinator"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    rows = [(network, "")] if saved else [(network, ""), (network, "")]
    data = membership_rows(form_data(client.get(url)), rows) | {"phone": "04 66 00 00 00"}
    response = client.post(url, data)
    assert response.status_code == 200
    memberships = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "memberships"
    )
    assert memberships.errors[-1] == {"start_year": [UNDATED_TWICE]}
    assert place_a.memberships.count() == (1 if saved else 0)
    place_a.refresh_from_db()
    assert place_a.phone == ""


def test_undated_and_dated_memberships_of_one_network_are_saved(users, login, place_a):
    """The check leaves alone what is allowed: one undated membership beside dated ones of the
    same network."""
    network = MembershipFactory(place=place_a, start_year=None).network
    client = login(users["coordinator"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = membership_rows(form_data(client.get(url)), [(network, "2015"), (network, "2019")])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"]
    assert sorted(place_a.memberships.values_list("start_year", flat=True), key=str) == [
        2015,
        2019,
        None,
    ]
