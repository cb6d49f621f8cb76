"""Every French string of the site has its English translation, compiled and committed."""

import gettext

from django.conf import settings


def catalogue(language):
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)._catalog


def test_every_french_string_has_its_english_translation():
    """The French catalogue holds every string (each its own translation): an English catalogue
    without one of them shows that string in French on the English site."""
    french, english = catalogue("fr"), catalogue("en")
    missing = sorted(str(key) for key in french if key not in english and key != "")
    assert not missing, missing
