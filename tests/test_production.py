"""Production behaviour: deploy checks, headers, health check, error pages."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

PRODUCTION = {
    "DEBUG": "false",
    "HTTPS": "true",
    "SECRET_KEY": "k" * 20 + "3fJ9qLmZ8vXw2Rt7YpNc5Hs1Bd4Gf6Kj0",
    "ALLOWED_HOSTS": "solozere.example.org",
    "SITE_URL": "https://solozere.example.org",
    "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}


def check_deploy(**overrides):
    environment = {**os.environ, **PRODUCTION, **overrides}
    # The test run's own settings (database, the browser tests' async switch) are not production's.
    for variable in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(variable, None)
    environment = {name: value for name, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_gives_no_warning_with_the_documented_environment():
    """The environment documented for production passes Django's deployment checks without a
    warning."""
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_site_url_is_left_local():
    """Production without SITE_URL would publish links to 127.0.0.1 in pages and e-mails."""
    result = check_deploy(SITE_URL=None)
    assert result.returncode != 0 and "solozere.W001" in result.stderr + result.stdout
    result = check_deploy(SITE_URL="http://solozere.example.org")
    assert result.returncode != 0 and "solozere.W002" in result.stderr + result.stdout


def test_a_publication_date_that_is_not_a_date_stops_the_start():
    """DATA_ISSUED goes out in the open-data catalogue as a typed date: a mistyped one stops the
    site with a message naming it, rather than publishing nonsense or failing on each request."""
    result = check_deploy(DATA_ISSUED="15/01/2026")
    assert result.returncode != 0 and "DATA_ISSUED must be a date" in result.stderr
    assert check_deploy(DATA_ISSUED="2026-01-15").returncode == 0


@pytest.mark.django_db
def test_security_headers(client):
    """Every page tells browsers not to frame it, to leak little referrer, to sniff no types, and
    limits geolocation to the site."""
    response = client.get(reverse("places:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Permissions-Policy"].startswith("geolocation=(self)")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    """The health check a load balancer polls says OK only while the database answers."""
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
    with mock.patch("solozere.views.connection.cursor", side_effect=OperationalError("down")):
        assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_a_lost_database_gives_the_french_503_page(client):
    """When the database is down, visitors get a French « come back soon » page with Retry-After,
    not a traceback."""
    with mock.patch("places.views.listing.PlaceFilter", side_effect=OperationalError("down")):
        response = client.get(reverse("places:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Service momentanément indisponible" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_page_gets_the_french_404(client):
    """An unknown address gets the site's French « page not found »."""
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    """The server-error page renders even when nothing else works (no request context)."""
    from django.template.loader import render_to_string

    assert "Erreur du serveur" in render_to_string("500.html")


@pytest.mark.django_db
def test_the_content_security_policy_allows_no_inline_script(client):
    """No page runs inline scripts or may be framed, except the embed, which other sites frame on
    purpose."""
    policy = client.get(reverse("places:home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    embed = client.get(reverse("places:embed"))["Content-Security-Policy"]
    assert "frame-ancestors *" in embed
