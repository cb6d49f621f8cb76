"""An animateur's name is public only if they agreed to it, in the back-office, themselves.

Without their yes (every account until they give it) the place's page says the place is run by
its team; no other public output (JSON-LD, the map's data, the exports, the API, coverage) names
animateurs at all, and each is checked here against a name that must not leak.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from backoffice.management.commands.export_fixtures import ACCOUNTS
from places.models import AnimateurConsent
from tests.factories import UserFactory, lozere_commune

pytestmark = pytest.mark.django_db

NAME = "Murielle Causse"


@pytest.fixture
def place(users):
    """Lieu A, run by Alice, and by Murielle Causse, who has not said yes."""
    place = users["animateur_a"].animated_places.get()
    place.commune = lozere_commune("48095")
    place.place_at_townhall()
    place.save()
    place.animateurs.add(UserFactory(first_name="Murielle", last_name="Causse"))
    return place


def page(client, place):
    return client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_without_consent_the_page_says_the_team_runs_the_place(client, place):
    """No animateur has said yes (as for every account when consent arrived): no name on the
    page, which says the place is run by its team."""
    html = page(client, place)
    assert NAME not in html and "Alice" not in html
    assert "Animé par l'équipe du lieu." in html


def test_with_consent_the_name_shows_and_withdrawing_hides_it_at_once(client, place):
    """An animateur who said yes is named; when they take it back, the page, cached or not, stops
    naming them at once."""
    person = place.animateurs.get(first_name="Murielle")
    consent = AnimateurConsent.objects.create(user=person, show_name=True)
    html = page(client, place)
    assert NAME in html and "Animé par l'équipe du lieu." not in html
    assert NAME in page(client, place)  # from the cache
    consent.show_name = False
    consent.save()
    assert NAME not in page(client, place)


def test_only_those_who_agreed_are_named(client, place, users):
    """Of two animateurs, the one who said yes is named, the other is not."""
    AnimateurConsent.objects.create(user=users["animateur_a"], show_name=True)
    AnimateurConsent.objects.create(user=place.animateurs.get(first_name="Murielle"))
    html = page(client, place)
    assert "Alice" in html and NAME not in html


PUBLIC_OUTPUTS = [
    ("places:geojson", {}),
    ("places:embed", {}),
    ("places:home", {}),
    ("opendata:csv", {}),
    ("opendata:geojson", {}),
    ("opendata:mednum", {}),
    ("opendata:api-list", {"page_size": 100}),
    ("coverage:csv", {}),
    ("coverage:geojson", {}),
    ("coverage:page", {}),
]


@pytest.mark.parametrize(("name", "query"), PUBLIC_OUTPUTS, ids=[n for n, _q in PUBLIC_OUTPUTS])
def test_no_other_public_output_names_an_animateur(client, place, name, query):
    """The map's data, the embed, the directory, the CSV, GeoJSON and national-standard exports,
    the API and coverage never carry an animateur's name."""
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert "Causse" not in content.decode("utf-8-sig")


def test_neither_the_api_detail_nor_the_json_ld_names_an_animateur(client, place):
    """The API's record of the place and the JSON-LD of its page name no animateur."""
    detail = client.get(reverse("opendata:api-detail", args=[place.slug]))
    assert detail.status_code == 200 and "Causse" not in detail.content.decode()
    html = page(client, place)
    script = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "Causse" not in json.dumps(json.loads(script), ensure_ascii=False)


def test_an_animateur_gives_and_withdraws_consent_in_the_back_office(client, place, users, login):
    """The back-office form is unticked until the animateur ticks it; saving it says what the
    public will see, and the home page says whether the name is shown, with a link to change."""
    animateur = users["animateur_a"]
    client = login(animateur)
    url = reverse("admin:auth_user_public_name")
    form = client.get(url).content.decode()
    assert "J&#x27;accepte que mon nom soit affiché publiquement" in form
    assert "checked" not in form
    assert "n'est pas affiché" in client.get(reverse("admin:index")).content.decode()

    response = client.post(url, {"show_name": "on"}, follow=True)
    assert AnimateurConsent.objects.get(user=animateur).show_name
    assert "Votre nom est désormais affiché" in response.content.decode()
    assert "Votre nom est affiché sur la page de vos lieux." in response.content.decode()
    client.logout()
    assert "Alice" in page(client, place)

    login(animateur).post(url, {})
    assert not AnimateurConsent.objects.get(user=animateur).show_name
    client.logout()
    assert "Alice" not in page(client, place)


def test_nobody_consents_for_someone_else(client, place, users, login):
    """A coordinator posting the form sets their own choice only: the form names no account, and
    an account named in the request is ignored."""
    murielle = place.animateurs.get(first_name="Murielle")
    coordinator = users["coordinator"]
    url = reverse("admin:auth_user_public_name")
    login(coordinator).post(url, {"show_name": "on", "user": murielle.pk})
    assert AnimateurConsent.objects.get(user=coordinator).show_name
    assert not AnimateurConsent.objects.filter(user=murielle).exists()


def test_signed_out_visitors_cannot_reach_the_form(client, place):
    """The consent form is in the back-office: a signed-out visitor is sent to the login page."""
    response = client.post(reverse("admin:auth_user_public_name"), {"show_name": "on"})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert not AnimateurConsent.objects.exists()


def test_the_private_backup_keeps_consents_and_the_public_export_does_not(tmp_path, place):
    """`export_fixtures --with-accounts` keeps each person's choice with their account (a
    restored backup does not silently hide or show names); the public export has neither."""
    murielle = place.animateurs.get(first_name="Murielle")
    AnimateurConsent.objects.create(user=murielle, show_name=True)
    private, public = tmp_path / "private", tmp_path / "public"
    call_command("export_fixtures", "--output", str(private), "--with-accounts", stdout=StringIO())
    records = json.loads((private / f"{ACCOUNTS[0]}.json").read_text())
    [consent] = [r["fields"] for r in records if r["model"] == "places.animateurconsent"]
    assert (consent["user"], consent["show_name"]) == ([murielle.username], True)
    call_command("export_fixtures", "--output", str(public), stdout=StringIO())
    exported = b"".join(path.read_bytes() for path in public.glob("*.json"))
    assert b"animateurconsent" not in exported
