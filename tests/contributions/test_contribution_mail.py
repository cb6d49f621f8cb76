"""Contributions are announced by e-mail over SMTP, whatever line breaks the public types."""

import email
import socketserver
import threading
from email.policy import default

import pytest
from django.urls import reverse

from contributions.models import Contribution
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


class SMTPStandIn(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: every command is accepted, messages are kept."""

    def handle(self):
        self.wfile.write(b"220 solozere-test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command == b"DATA":
                self.wfile.write(b"354 end with <CRLF>.<CRLF>\r\n")
                self.server.messages.append(email.message_from_bytes(self.data(), policy=default))
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")

    def data(self):
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line)
        return b"".join(lines)


@pytest.fixture
def smtp(settings):
    """A local SMTP server the site's real SMTP backend talks to; yields the messages it got."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPStandIn)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    yield server.messages
    server.shutdown()
    server.server_close()


def test_a_line_break_in_a_suggested_name_still_sends_one_clean_mail(client, smtp):
    """The subject carries the name on one line: no error page, and no header slipped in."""
    name = "Le Fournil\r\nBcc: victime@example.org\npartagé"
    data = {"place_name": name, "commune_name": "Mende", "message": "Un four à pain."}
    response = client.post(reverse("contributions:suggest"), data)
    assert response.status_code == 302
    assert (
        Contribution.objects.get().place_name == "Le Fournil\r\nBcc: victime@example.org\npartagé"
    )
    [message] = smtp
    assert message["Subject"].strip() == (
        "Solozère : suggestion de lieu — Le Fournil Bcc: victime@example.org partagé"
    )
    assert message["Bcc"] is None
    assert message["To"] == "coordination@example.org"


def test_a_report_on_a_place_whose_name_has_a_line_break(client, smtp):
    """A place's name with a line break gives a one-line subject to the report's mail."""
    place = PlaceFactory(name="Bar\nl'Atelier")
    data = {"message": "Les horaires ont changé."}
    response = client.post(reverse("contributions:report", args=[place.slug]), data)
    assert response.status_code == 302
    [message] = smtp
    assert message["Subject"].strip() == "Solozère : signalement d'erreur — Bar l'Atelier"
