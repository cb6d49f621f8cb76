"""« Je cherche… »: needs are data coordinators edit, each a search the directory's own
PlaceFilter accepts, offered on the home page as buttons that search near the visitor."""

from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needs import pictograms
from needs.models import Need, parse_search
from places.filters import PlaceFilter
from places.models import Place
from tests.factories import NeedFactory, NetworkFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def redirect_query(response):
    assert response.status_code == 302, response.status_code
    parts = urlsplit(response["Location"])
    assert parts.path == reverse("places:home")
    assert parts.fragment == "resultats"
    return parse_qs(parts.query)


def test_a_need_keeps_only_a_search_the_directory_accepts():
    """A coordinator cannot store a search that errors, names where (the visitor says where),
    or says nothing: the home page's buttons always lead to a working search."""
    ServiceFactory(code="meeting-room")
    for query in [
        "service=no-such-service",
        "radius=abc",
        "near=Mende",
        "lat=44.5&lon=3.5",
        "page=2",
        "open_at=2025-02-30T10:00",
        "",
        "q=",
        "x" * 600,
    ]:
        with pytest.raises(ValidationError):
            NeedFactory(query=query)
    assert not Need.objects.filter(code__startswith="besoin-").exists()
    need = NeedFactory(query="?service=meeting-room&q=salle")
    assert need.query == "q=salle&service=meeting-room"


def test_the_back_office_form_names_what_is_wrong_with_a_search(admin_client):
    """The coordinators' form shows the reason beside the field, and saves nothing."""
    url = reverse("admin:needs_need_add")
    data = {
        "label_fr": "Imprimer",
        "label_en": "Print",
        "code": "imprimer",
        "pictogram": "desk",
        "query": "service=printing-nowhere",
        "position": 1,
        "active": "on",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "query" in response.context["adminform"].form.errors
    assert not Need.objects.filter(code="imprimer").exists()
    ServiceFactory(code="printing-nowhere")
    assert admin_client.post(url, data).status_code == 302
    assert Need.objects.get(code="imprimer").query == "service=printing-nowhere"


def test_a_need_whose_code_goes_leaves_the_home_page(client):
    """A service deleted, or a network's code changed, after a need named it: the need is no
    longer offered (its button would lead to an error), the others stay; adding a service checks
    nothing."""
    meeting = ServiceFactory(code="meeting-room")
    network = NetworkFactory(code="occitanie")
    wifi = ServiceFactory(code="wifi")
    rooms = NeedFactory(label_fr="Une salle", query="service=meeting-room")
    members = NeedFactory(label_fr="Un lieu du réseau", query="network=occitanie")
    connected = NeedFactory(label_fr="Du wifi", query="service=wifi")

    with CaptureQueriesContext(connection) as queries:
        ServiceFactory(code="printing")
    assert not any("needs_need" in query["sql"] for query in queries.captured_queries)

    meeting.delete()
    network.code = "occitanie-2"
    network.save()
    wifi.label_fr = "Wi-Fi gratuit"
    wifi.save()
    offered = set(Need.objects.offered().values_list("pk", flat=True))
    assert rooms.pk not in offered and members.pk not in offered and connected.pk in offered
    home = client.get(reverse("places:home")).content.decode()
    assert "Du wifi" in home and "Une salle" not in home


def test_the_back_office_home_says_which_needs_to_mend(users, login):
    """A need withdrawn because its search no longer holds is named on the home of those who
    edit the needs, linked to the needs not offered; a need a coordinator chose not to offer is
    not, and an animateur, who cannot mend needs, is told nothing."""
    Need.objects.all().delete()  # the shipped needs name the shipped catalogue's codes
    meeting = ServiceFactory(code="meeting-room")
    NeedFactory(label_fr="Une salle", query="service=meeting-room")
    NeedFactory(label_fr="Pas cette saison", query="q=wifi", active=False)
    line = "1 besoin de « Je cherche… » n’est plus proposé : sa recherche est à corriger"
    changelist = reverse("admin:needs_need_changelist") + "?active__exact=0"
    home = reverse("admin:index")
    assert line not in login(users["coordinator"]).get(home).content.decode()

    meeting.delete()
    html = login(users["coordinator"]).get(home).content.decode()
    assert line in html and f'href="{changelist}"' in html
    assert line not in login(users["animateur_a"]).get(home).content.decode()


def test_the_pictograms_offered_are_vendored_with_their_licence():
    """Each pictogram a need may choose is a vendored file, never a CDN's."""
    folder = Path(settings.BASE_DIR) / "static" / "img" / "pictos"
    assert (folder / "LICENSE").exists()
    for name in pictograms.NAMES:
        assert (folder / f"{name}.svg").exists(), name


def shipped():
    """The needs the data migration ships (its rows may be gone after a transactional test)."""
    return import_module("needs.migrations.0002_shipped_needs").NEEDS


def test_the_shipped_needs_each_run_a_search_of_the_shipped_catalogue(shipped_data):
    """The needs the issue names, shipped by migration, each map to the real catalogue's codes
    (saving checks them with the directory's PlaceFilter) and run on the real directory."""
    assert [label for _code, label, *_rest in shipped()][:3] == [
        "Faire une démarche en ligne",
        "Un bureau pour la journée",
        "Une salle de réunion ou de visio",
    ]
    Need.objects.filter(code__in=[code for code, *_rest in shipped()]).delete()
    for position, (code, french, english, pictogram, query) in enumerate(shipped()):
        need = Need(code=code, label_fr=french, label_en=english, pictogram=pictogram, query=query)
        need.position = position
        need.save()  # ValidationError if the catalogue lacks one of its codes
        assert english and pictogram in pictograms.NAMES
        search = PlaceFilter(parse_search(need.query), queryset=Place.objects.published())
        assert search.is_valid(), (need.code, search.errors)
    assert Need.objects.offered().count() >= len(shipped()) == 8


def test_the_home_page_offers_the_needs_as_buttons(client):
    """Buttons with their pictogram, inside the search form, sending to the needs' address: they
    work without JavaScript, with the commune typed in the same form."""
    NeedFactory(label_fr="Un atelier partagé", pictogram="tools", code="atelier")
    NeedFactory(label_fr="Caché", active=False)
    html = client.get(reverse("places:home")).content.decode()
    assert "Je cherche…" in html
    assert "Un atelier partagé" in html and "Caché" not in html
    assert f'formaction="{reverse("needs:go")}" name="besoin" value="atelier"' in html
    assert "img/pictos/tools.svg" in html


def test_the_needs_are_offered_in_english(client):
    """An English visitor reads the needs' English labels."""
    NeedFactory(label_fr="Un atelier partagé", label_en="A shared workshop")
    html = client.get(reverse("places:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A shared workshop" in html and "Un atelier partagé" not in html


def test_a_search_with_words_or_criteria_does_not_repeat_the_needs(client):
    """Once the visitor searched something, the results come first."""
    NeedFactory(label_fr="Un atelier partagé")
    html = client.get(reverse("places:home") + "?q=fablab").content.decode()
    assert "Un atelier partagé" not in html
    html = client.get(reverse("places:home") + "?near=Mende").content.decode()
    assert "Un atelier partagé" in html


def test_a_need_searches_near_the_commune_typed_or_the_position(client):
    """The button keeps where the visitor said they are (commune and radius, or the browser's
    position) and nothing else of the form; the need's own search replaces the words."""
    need = NeedFactory(query="q=bureau&accessible=true", code="bureau-test")
    url = reverse("needs:go")
    query = redirect_query(
        client.get(url, {"besoin": need.code, "near": "Florac", "radius": "20", "q": "autre"})
    )
    assert query == {
        "q": ["bureau"],
        "accessible": ["true"],
        "near": ["Florac"],
        "radius": ["20"],
    }
    query = redirect_query(
        client.get(url, {"besoin": need.code, "lat": "44.5", "lon": "3.5", "near": ""})
    )
    assert query["lat"] == ["44.5"] and query["lon"] == ["3.5"] and "near" not in query


def test_an_unknown_or_missing_need_is_a_client_error(client):
    """No need named: 400 saying so; a need that is gone or hidden: 404."""
    hidden = NeedFactory(active=False)
    url = reverse("needs:go")
    assert client.get(url).status_code == 400
    assert client.get(url, {"besoin": "nulle-part"}).status_code == 404
    assert client.get(url, {"besoin": hidden.code}).status_code == 404


def test_the_home_page_changes_when_a_need_is_edited(client):
    """Needs are Tracked: a cached home page is made again after a coordinator's edit."""
    need = NeedFactory(label_fr="Avant")
    assert "Avant" in client.get(reverse("places:home")).content.decode()
    need.label_fr = "Après"
    need.save()
    assert "Après" in client.get(reverse("places:home")).content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_the_home_page_reads_the_needs_in_one_query(client, count):
    """However many needs are offered, the home page reads them at once."""
    Need.objects.all().delete()
    NeedFactory.create_batch(count)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("places:home"))
    reads = [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "needs_need"' in query["sql"] and "UNION ALL" not in query["sql"]
    ]
    assert len(reads) == 1
