"""Opening hours in the place form, without JavaScript: the week grid writes the expression, the
expression typed « en mode expert » (OpenStreetMap's syntax or French) wins when it was changed,
and what neither can read comes back as a form error with the rest of the form kept."""

import re

import pytest
from django.urls import reverse

from backoffice.admin.hours_grid import WeekGridField, WeekGridWidget, as_data, grid_of
from places.hours_grid import Grid
from places.models import Place
from tests.backoffice.test_permissions import form_data
from tests.factories import lozere_commune

pytestmark = pytest.mark.django_db


def grid_inputs(response):
    """The grid's inputs as the page gives them: {name: value}, ticked boxes only."""
    html = response.content.decode()
    inputs = {}
    for tag in re.findall(r"<input[^>]*name=\"hours_grid-[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)[1]
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        inputs[name] = value[1] if value else ""
    for select in re.findall(r'<select name="(hours_grid-[^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', select[1])
        inputs[select[0]] = chosen[1] if chosen else ""
    return inputs


def page_data(client, url):
    """What the place form posts back untouched, grid included."""
    page = client.get(url)
    return form_data(page) | grid_inputs(page)


@pytest.fixture
def url(place_a):
    return reverse("admin:places_place_change", args=[place_a.pk])


def test_the_grid_shows_the_hours_and_an_untouched_form_keeps_them(users, login, place_a, url):
    """« Mo 09:00-12:00; Tu 09:00-12:00 » fills Monday and Tuesday's first range; saved untouched,
    the expression is kept to the letter, not rewritten as the grid would (« Mo,Tu … »)."""
    place_a.opening_hours = "Mo 09:00-12:00; Tu 09:00-12:00"
    place_a.save()
    client = login(users["animateur_a"])
    data = page_data(client, url)
    assert data["hours_grid-mo-0-start"] == "09:00" and data["hours_grid-tu-0-end"] == "12:00"
    assert data["hours_grid-we-0-start"] == ""
    assert client.post(url, data).status_code == 302
    place_a.refresh_from_db()
    assert place_a.opening_hours == "Mo 09:00-12:00; Tu 09:00-12:00"


def test_filling_the_grid_writes_the_expression(users, login, place_a, url):
    """Saturday morning added, holidays closed, August closed: the grid's expression is saved."""
    client = login(users["animateur_a"])
    data = page_data(client, url) | {
        "hours_grid-sa-0-start": "9h30",
        "hours_grid-sa-0-end": "12:00",
        "hours_grid-holidays": "on",
        "hours_grid-s0-from-month": "8",
        "hours_grid-s0-to-month": "8",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    place_a.refresh_from_db()
    assert place_a.opening_hours == "Mo-Fr 09:00-12:00; Sa 09:30-12:00; Aug off; PH off"


def test_emptying_the_grid_removes_the_hours(users, login, place_a, url):
    """Every range cleared: the place has no hours any more."""
    client = login(users["animateur_a"])
    data = {
        key: ("" if key.startswith("hours_grid-") and key != "hours_grid-sent" else value)
        for key, value in page_data(client, url).items()
    }
    assert client.post(url, data).status_code == 302
    place_a.refresh_from_db()
    assert place_a.opening_hours == ""


def test_french_typed_as_the_expression_is_saved_in_openstreetmap_syntax(
    users, login, place_a, url
):
    """The expression wins when it was changed, and French is translated."""
    client = login(users["animateur_a"])
    data = page_data(client, url) | {
        "opening_hours": "du lundi au vendredi 9h-12h 14h-17h",
        "hours_grid-sa-0-start": "10:00",  # changed too, but the expression wins
        "hours_grid-sa-0-end": "12:00",
    }
    assert client.post(url, data).status_code == 302
    place_a.refresh_from_db()
    assert place_a.opening_hours == "Mo-Fr 09:00-12:00,14:00-17:00"


def test_a_grid_mistake_is_a_form_error_naming_the_range(users, login, place_a, url):
    """An opening without its closing, an hour that is not one: the form comes back saying which
    day and range, with what was typed; nothing is saved."""
    client = login(users["animateur_a"])
    data = page_data(client, url) | {
        "hours_grid-tu-1-start": "14:00",
        "hours_grid-we-1-start": "25:00",
        "hours_grid-we-1-end": "26:00",
        "phone": "04 66 00 00 00",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["hours_grid"])
    assert "mardi, plage 2 : indiquez l'heure d'ouverture et l'heure de fermeture." in errors
    assert "mercredi, plage 2 : « 25:00 » n'est pas une heure." in errors
    assert grid_inputs(response)["hours_grid-we-1-start"] == "25:00"
    place_a.refresh_from_db()
    assert (place_a.opening_hours, place_a.phone) == ("Mo-Fr 09:00-12:00", "")


def test_hours_too_complex_for_the_grid_are_edited_as_an_expression(users, login, place_a, url):
    """Hours with a comment show a note instead of the grid; the expression stays editable."""
    place_a.opening_hours = 'Mo-Fr 09:00-12:00 "sur rendez-vous"'
    place_a.save()
    client = login(users["animateur_a"])
    page = client.get(url)
    html = page.content.decode()
    assert "trop détaillés pour la grille" in html
    assert "hours_grid-mo-0-start" not in html
    data = form_data(page) | {"opening_hours": "Mo-Fr 09:00-12:00; PH off"}
    assert client.post(url, data).status_code == 302
    place_a.refresh_from_db()
    assert place_a.opening_hours == "Mo-Fr 09:00-12:00; PH off"


def test_a_new_place_takes_its_hours_from_the_grid(users, login):
    """A coordinator fills the grid of a new place; its expression is saved."""
    client = login(users["coordinator"])
    url = reverse("admin:places_place_add")
    lists = ("types", "families", "services", "audiences", "animateurs")
    data = {key: value for key, value in page_data(client, url).items() if key not in lists}
    data |= {
        "name": "Nouveau lieu",
        "slug": "nouveau-lieu",
        "status": "open",
        "commune": lozere_commune("48095").pk,
        "hours_grid-we-0-start": "14:00",
        "hours_grid-we-0-end": "18:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Place.objects.get(slug="nouveau-lieu").opening_hours == "We 14:00-18:00"


ROUND_TRIPS = [
    "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off",
    "Mo-Fr 09:00-12:00,14:00-18:00; Jul-Aug Mo-Sa 09:00-19:00; Dec 24-Jan 01 off",
    "Jun 15-Sep 15 Mo-Su 10:00-19:00; Oct-May We 14:00-17:00",
    "Fr 18:00-24:00",
]


@pytest.mark.parametrize("expression", ROUND_TRIPS)
def test_the_widget_round_trip(expression):
    """An expression shown in the widget and posted back untouched is the same grid, and the grid
    the widget's inputs give writes the same hours."""
    grid = grid_of(expression)
    data = {f"hours_grid-{key}": value for key, value in as_data(grid).items() if value}
    data["hours_grid-sent"] = "1"
    posted = WeekGridWidget().value_from_datadict(data, None, "hours_grid")
    field = WeekGridField(required=False)
    assert field.clean(posted) == grid
    assert not field.has_changed(grid, posted)
    assert Grid.from_expression(grid.expression()) == grid


def test_the_widget_renders_every_input_with_a_label():
    """Each time input and date list has a label naming its day and range (read by screen readers
    and by the browser tests)."""
    html = WeekGridWidget().render("hours_grid", grid_of("Mo 09:00-12:00"), {"id": "id_hours_grid"})
    ids = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html)
    assert len(ids) == 1 + 7 * 3 * 2 * 3 + 4 * 2
    for element_id in ids:
        assert f'for="{element_id}"' in html
    assert "lundi, plage 1 :" in html


def test_the_preview_writes_the_grid_and_reads_french(users, login):
    """The live preview (the grid's or the expression's) answers the expression and the week."""
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_hours_preview")
    grid = client.post(
        url,
        {
            "source": "grid",
            "hours_grid-sent": "1",
            "hours_grid-mo-0-start": "9:00",
            "hours_grid-mo-0-end": "12:00",
        },
    ).json()
    assert grid["expression"] == "Mo 09:00-12:00" and len(grid["week"]) == 7
    french = client.post(url, {"value": "tous les jours 8h-20h"}).json()
    assert french["expression"] == "Mo-Su 08:00-20:00"
    wrong = client.post(url, {"value": "samedi matin"}).json()
    assert "« matin » ne dit pas à quelle heure" in wrong["error"]
    broken = client.post(
        url, {"source": "grid", "hours_grid-sent": "1", "hours_grid-mo-0-start": "x"}
    ).json()
    assert "n'est pas une heure" in broken["error"]
