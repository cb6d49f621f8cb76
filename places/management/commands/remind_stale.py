"""E-mail each animateur the places they have not confirmed for a year. Safe to run daily."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone

from places.models import Place

SUBJECT = "Solozère : vos informations sont-elles à jour ?"
BODY = """Bonjour {name},

Les informations de ces lieux n'ont pas été confirmées depuis plus de {days} jours :

{places}

Vérifiez-les et cliquez sur « Les informations sont à jour » dans l'espace de gestion :
{url}

Merci, l'équipe de Solozère
"""


class Command(BaseCommand):
    help = (
        "Écrit aux animateurs dont les lieux n'ont pas été confirmés depuis "
        "SOLOZERE_STALE_AFTER_DAYS jours ; --dry-run affiche sans rien envoyer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="N'envoie rien.")
        parser.add_argument(
            "--site-url", default="http://127.0.0.1:8000", help="Adresse du site, pour le lien."
        )

    def handle(self, dry_run, site_url, **options):
        days = settings.SOLOZERE_STALE_AFTER_DAYS
        stale = Place.objects.stale(timezone.localdate(), days).prefetch_related("animateurs")
        by_person, orphans = defaultdict(list), []
        for place in stale:
            people = [person for person in place.animateurs.all() if person.email]
            for person in people:
                by_person[person].append(place)
            if not people:
                orphans.append(place)
        for person, places in by_person.items():
            listing = "\n".join(f"- {place.name}" for place in places)
            self.stdout.write(f"{person.email} : {len(places)} lieu(x)")
            if not dry_run:
                body = BODY.format(
                    name=person.get_full_name() or person.get_username(),
                    days=days,
                    places=listing,
                    url=f"{site_url.rstrip('/')}/admin/",
                )
                send_mail(SUBJECT, body, None, [person.email])
        for place in orphans:
            self.stdout.write(f"Sans animateur à prévenir : {place.name}")
        verb = "à envoyer" if dry_run else "envoyé(s)"
        self.stdout.write(self.style.SUCCESS(f"{len(by_person)} rappel(s) {verb}."))
