"""Opening hours typed the French way are read into OpenStreetMap's syntax, or refused saying which
words were not understood and how to write them; an expression in OpenStreetMap's syntax is kept
as it is."""

import pytest
from django.core.exceptions import ValidationError

from places.hours_french import to_expression

UNDERSTOOD = [
    ("du lundi au vendredi 9h-12h 14h-17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("Du Lundi Au Vendredi 9H-12H 14H-17H", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("du lundi au vendredi de 9h à 12h et de 14h à 17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("du lundi au vendredi : 9h–12h et 14h–17h", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("lundi-vendredi 9h00-12h00", "Mo-Fr 09:00-12:00"),
    ("du lundi au vendredi 9-12h", "Mo-Fr 09:00-12:00"),
    ("lundi, mardi 9h30-12h", "Mo,Tu 09:30-12:00"),
    ("lundi et jeudi entre 14h et 17h", "Mo,Th 14:00-17:00"),
    ("lun. mar. mer. 9h-12h", "Mo-We 09:00-12:00"),
    ("tous les jours 8h-20h", "Mo-Su 08:00-20:00"),
    ("7j/7 10h-19h", "Mo-Su 10:00-19:00"),
    ("24h/24 7j/7", "Mo-Su 00:00-24:00"),
    ("en semaine 9h-17h", "Mo-Fr 09:00-17:00"),
    ("le week-end 10h-18h", "Sa,Su 10:00-18:00"),
    ("Lundi : 9h-12h / 14h-17h", "Mo 09:00-12:00,14:00-17:00"),
    ("lundi 9h-12h mardi 14h-17h", "Mo 09:00-12:00; Tu 14:00-17:00"),
    ("mercredi 14h-18h ; samedi 10h-12h", "We 14:00-18:00; Sa 10:00-12:00"),
    ("lundi 9h-12h\nlundi 14h-17h", "Mo 09:00-12:00,14:00-17:00"),
    ("9h-12h du lundi au vendredi", "Mo-Fr 09:00-12:00"),
    ("9h-12h lundi et mardi", "Mo,Tu 09:00-12:00"),
    ("du mardi au samedi 9h-12h30, 14h-18h", "Tu-Sa 09:00-12:30,14:00-18:00"),
    ("tous les jours sauf le lundi 10h-18h", "Tu-Su 10:00-18:00"),
    ("tous les jours 10h-18h sauf le lundi", "Tu-Su 10:00-18:00"),
    ("tous les jours 8h-20h, fermé le dimanche", "Mo-Sa 08:00-20:00"),
    ("du lundi au vendredi 9h-17h sauf jours fériés", "Mo-Fr 09:00-17:00; PH off"),
    ("lundi 9h-12h ; fermé les jours fériés", "Mo 09:00-12:00; PH off"),
    ("du vendredi au lundi 18h-minuit", "Mo,Fr-Su 18:00-24:00"),
    ("lundi 20h-2h", "Mo 20:00-02:00"),
    ("samedi 9h-midi", "Sa 09:00-12:00"),
    ("du lundi au vendredi 9h-12h ; fermé en août", "Mo-Fr 09:00-12:00; Aug off"),
    (
        "du lundi au vendredi 9h-12h. En juillet et août, du lundi au samedi 9h-19h",
        "Mo-Fr 09:00-12:00; Jul-Aug Mo-Sa 09:00-19:00",
    ),
    ("du lundi au samedi 9h-19h en juillet-août", "Jul-Aug Mo-Sa 09:00-19:00"),
    (
        "du 15 juin au 15 septembre tous les jours 10h-19h",
        "Jun 15-Sep 15 Mo-Su 10:00-19:00",
    ),
    (
        "de juin à septembre, du lundi au samedi 9h-19h ; d'octobre à mai, du lundi au "
        "vendredi 10h-17h",
        "Jun-Sep Mo-Sa 09:00-19:00; Oct-May Mo-Fr 10:00-17:00; Oct-May Sa off",
    ),
    # OpenStreetMap's syntax is kept as typed.
    ("Mo-Fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
    ('Mo-Fr 09:00-12:00 "sur rendez-vous"; PH off', 'Mo-Fr 09:00-12:00 "sur rendez-vous"; PH off'),
    ("", ""),
]


@pytest.mark.parametrize(("typed", "expression"), UNDERSTOOD)
def test_french_hours_are_written_in_openstreetmap_syntax(typed, expression):
    """Each common French way of writing hours gives the expression it means."""
    assert to_expression(typed) == expression


REFUSED = [
    ("samedi matin", "« matin » ne dit pas à quelle heure"),
    ("lundi après-midi", "« après-midi » ne dit pas à quelle heure"),
    ("du lundi au vendredi sur rendez-vous", "Précisions sur les horaires"),
    ("lundi 9h", "« 9h » : il manque l'heure de fin"),
    ("lundi", "« lundi » : précisez les heures"),
    ("9h-18h", "« 9h-18h » : précisez les jours"),
    ("fermé le dimanche", "aucune heure d'ouverture"),
    ("bonjour", "« bonjour » n'est pas compris"),
    ("jours ouvrables 9h-12h", "se comprend de deux façons"),
    ("lundi 9h-12h, lundi 11h-14h", "des plages horaires se chevauchent"),
    ("lundi 9h-9h", "ouvre et ferme à la même heure"),
    ("lundi 9h-12h ; ouvert les jours fériés", "seule la fermeture les jours fériés"),
    ("du 15 juin à septembre lundi 9h-12h", "donnez les deux dates"),
    ("le 31 février lundi 9h-12h", "n'est pas une date"),
    ("en juillet", "précisez les jours et les heures de cette période"),
]


@pytest.mark.parametrize(("typed", "reason"), REFUSED)
def test_what_cannot_be_read_one_way_is_refused_with_an_example(typed, reason):
    """Vague or incomplete French is refused: the message names the words, says what is missing
    and gives an example to follow."""
    with pytest.raises(ValidationError) as error:
        to_expression(typed)
    message = " ".join(error.value.messages)
    assert message.startswith("Horaires d'ouverture invalides")
    assert reason in message
    assert "« du lundi au vendredi 9h-12h 14h-17h »" in message


def test_a_mistake_in_openstreetmap_syntax_is_told_in_that_syntax():
    """Someone who writes OpenStreetMap's syntax is told where it goes wrong, and that French is
    understood too."""
    with pytest.raises(ValidationError) as error:
        to_expression("Mo-Fr 9h-12h")
    message = " ".join(error.value.messages)
    assert "vers le caractère 7" in message
    assert "Vous pouvez aussi les écrire en français" in message
