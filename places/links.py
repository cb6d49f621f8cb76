"""Absolute links, for whatever leaves the page: canonical and OpenGraph URLs, JSON-LD, open data,
the embed code, e-mails.

They are made from the SITE_URL setting, never from the request: its Host header is whatever the
visitor sent (a port, another allowed name), and a cached page or export would then show that
address to everyone.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def absolute_url(path):
    """The public address of a path of the site, as given by reverse() or get_absolute_url()."""
    return settings.SITE_URL + path


def email_link_context():
    """The password-setting e-mails' `protocol`, `domain` and `site_name`, from SITE_URL.

    Django's password-reset form otherwise takes them from the request: a reset asked for with a
    forged Host header would mail the account's owner a link to that host."""
    site = urlsplit(settings.SITE_URL)
    return {"protocol": site.scheme, "domain": site.netloc, "site_name": site.netloc}


def check_site_url(app_configs, **kwargs):
    """`check --deploy`: production links must not point at the local default address."""
    site = urlsplit(settings.SITE_URL)
    if site.hostname in LOCAL_HOSTS:
        return [
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL}: canonical links, open data and e-mails would "
                "point there.",
                hint="Set SITE_URL to the site's public address, e.g. https://solozere.fr.",
                id="solozere.W001",
            )
        ]
    if settings.SECURE_SSL_REDIRECT and site.scheme != "https":
        return [
            checks.Warning(
                "SITE_URL is http:// while the site redirects to HTTPS.",
                hint="Write SITE_URL with https://.",
                id="solozere.W002",
            )
        ]
    return []
