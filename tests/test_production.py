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
    "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}


def test_check_deploy_gives_no_warning_with_the_documented_environment():
    environment = {**os.environ, **PRODUCTION}
    # The test run's own settings (database, the browser tests' async switch) are not production's.
    for variable in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(variable, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("places:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Permissions-Policy"].startswith("geolocation=(self)")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
    with mock.patch("solozere.views.connection.cursor", side_effect=OperationalError("down")):
        assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_a_lost_database_gives_the_french_503_page(client):
    with mock.patch("places.views.listing.PlaceFilter", side_effect=OperationalError("down")):
        response = client.get(reverse("places:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Service momentanément indisponible" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_page_gets_the_french_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    assert "Erreur du serveur" in render_to_string("500.html")


@pytest.mark.django_db
def test_the_content_security_policy_allows_no_inline_script(client):
    policy = client.get(reverse("places:home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    embed = client.get(reverse("places:embed"))["Content-Security-Policy"]
    assert "frame-ancestors *" in embed
