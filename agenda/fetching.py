"""A place's calendar fetched from the web, without the address reaching anything else.

The address an animateur gives is fetched by the server: it must not become a way into the network
the server sits in (a database, a cloud's metadata service at 169.254.169.254). So the host is
resolved first, every address it resolves to must be public (not private, loopback, link-local,
reserved, multicast…), and the connection is made to that vetted address — not to the name again,
which a rebinding DNS could answer differently — and checked once more once connected. Redirects
are followed, a few, each checked the same way. Only http and https.

A fetch ends after FEEDS_TIMEOUT seconds in all (a watchdog closes the connection of a server that
drips) and FEEDS_MAX_BYTES bytes. FEEDS_ALLOW_PRIVATE_NETWORKS lifts the address check (tests
serve their calendars on 127.0.0.1).
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
HEADERS = {
    "User-Agent": "Solozere-agenda (annuaire des tiers-lieux de Lozere)",
    "Accept": "text/calendar, application/ics;q=0.9, */*;q=0.5",
    "Accept-Encoding": "identity",
}


class FetchError(Exception):
    """Why the calendar could not be fetched, in words for the back-office."""


def fetch(url):
    """The body of the calendar at `url`, as bytes; FetchError when it cannot be had safely."""
    deadline = time.monotonic() + settings.SOLOZERE_FEEDS_TIMEOUT
    for _hop in range(MAX_REDIRECTS + 1):
        status, location, body = _get(url, deadline)
        if status in REDIRECTS:
            if not location:
                raise FetchError(_("Le serveur de l'agenda redirige sans dire où."))
            url = urljoin(url, location)
            continue
        if status != 200:
            raise FetchError(
                _("Le serveur de l'agenda a répondu par une erreur (code %(status)s).")
                % {"status": status}
            )
        return body
    raise FetchError(_("Le serveur de l'agenda redirige trop de fois."))


def check_url(url):
    """The address's scheme, host and port, if it may be fetched at all."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(_("Cette adresse n'est pas lisible.")) from error
    if parts.scheme not in ("http", "https"):
        raise FetchError(_("Seules les adresses http:// et https:// sont acceptées."))
    if not parts.hostname:
        raise FetchError(_("Cette adresse ne nomme aucun serveur."))
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def is_public(address):
    """Whether an IP address is one of the public Internet's."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def vetted_addresses(host, port):
    """The addresses `host` resolves to, every one of them public (unless allowed otherwise)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(
            _("Le serveur « %(host)s » est introuvable.") % {"host": host[:100]}
        ) from error
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise FetchError(_("Le serveur « %(host)s » est introuvable.") % {"host": host[:100]})
    for address in addresses:
        _check_address(address)
    return addresses


def _check_address(address):
    if settings.SOLOZERE_FEEDS_ALLOW_PRIVATE_NETWORKS or is_public(address):
        return
    raise FetchError(
        _(
            "Cette adresse mène à un réseau privé ou local (%(address)s) : seuls les serveurs "
            "publics d'Internet sont interrogés."
        )
        % {"address": address}
    )


def _connect(addresses, port, timeout):
    """A socket connected to the first vetted address that answers, checked once connected."""
    last_error = None
    for address in addresses:
        try:
            sock = socket.create_connection((address, port), timeout=timeout)
        except OSError as error:
            last_error = error
            continue
        try:
            _check_address(sock.getpeername()[0])
        except FetchError:
            sock.close()
            raise
        return sock
    raise last_error or OSError("no address")


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address already vetted, whatever the name resolves to now."""

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self):
        # Held apart: the connection lets go of its socket once a response reads to the close.
        self.sock = self.held = _connect(self.addresses, self.port, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """The same over TLS, the certificate checked against the name in the address."""

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.addresses = addresses

    def connect(self):
        sock = _connect(self.addresses, self.port, self.timeout)
        self.sock = self.held = self._context.wrap_socket(sock, server_hostname=self.host)


def _get(url, deadline):
    """One GET: (status, Location, body), the body read only on a 200."""
    scheme, host, port = check_url(url)
    addresses = vetted_addresses(host, port)
    left = deadline - time.monotonic()
    if left <= 0:
        raise _too_slow()
    connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = connection_class(host, port, addresses, timeout=left)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    expired = threading.Event()

    def stop():
        # A server sending a byte now and then never lets a socket's timeout fire: close it.
        expired.set()
        held = getattr(connection, "held", None)
        if held is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(held, socket.SHUT_RDWR)

    watchdog = threading.Timer(left, stop)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        if response.status in REDIRECTS:
            return response.status, response.getheader("Location"), b""
        if response.status != 200:
            return response.status, None, b""
        body = _read(response)
    except ssl.SSLCertVerificationError as error:
        raise FetchError(
            _("Le certificat du serveur de l'agenda n'est pas valide : %(error)s")
            % {"error": error.verify_message}
        ) from error
    except (OSError, http.client.HTTPException, ValueError, AttributeError) as error:
        if expired.is_set() or isinstance(error, TimeoutError):
            raise _too_slow() from error
        raise FetchError(
            _("Le serveur de l'agenda n'a pas pu être lu (%(error)s).")
            % {"error": str(error)[:200] or type(error).__name__}
        ) from error
    finally:
        watchdog.cancel()
        connection.close()
        if getattr(connection, "held", None) is not None:
            connection.held.close()
    if expired.is_set():  # the body cut short by the watchdog is not a calendar
        raise _too_slow()
    return 200, None, body


def _read(response):
    limit = settings.SOLOZERE_FEEDS_MAX_BYTES
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > limit:
        raise _too_big(limit)
    body = bytearray()
    while chunk := response.read1(CHUNK):
        body += chunk
        if len(body) > limit:
            raise _too_big(limit)
    return bytes(body)


def _too_big(limit):
    return FetchError(
        _("L'agenda dépasse la taille acceptée (%(size)s Mo) : il n'a pas été importé.")
        % {"size": round(limit / 1024 / 1024, 1)}
    )


def _too_slow():
    return FetchError(
        _(
            "Le serveur de l'agenda est trop lent (plus de %(seconds)s secondes) : "
            "nouvel essai au prochain import."
        )
        % {"seconds": round(settings.SOLOZERE_FEEDS_TIMEOUT)}
    )
