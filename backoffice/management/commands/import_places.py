"""Import places from a spreadsheet of any size, outside any web request: the same layouts,
checks and writing as the back-office form (backoffice.imports)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backoffice import imports


class Command(BaseCommand):
    help = (
        "Importe des lieux d'un fichier CSV, XLSX ou ODS (données ouvertes de Solozère ou liste "
        "France services de l'ANCT). Une seule ligne en erreur et rien n'est enregistré."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--update",
            action="store_true",
            help="Met à jour les lieux déjà présents (une cellule vide ne remplace rien).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vérifie le fichier sans rien enregistrer."
        )
        parser.add_argument("--user", help="Identifiant de la personne inscrite à l'historique.")

    def handle(self, file, update, dry_run, user, **options):
        try:
            dataset, layout = imports.read(file.read_bytes())
        except OSError as error:
            raise CommandError(f"{file} : lecture impossible ({error.strerror}).") from error
        except imports.ImportFileError as error:
            raise CommandError(f"{file} : {error}") from error
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"Personne n'a l'identifiant « {user} ».")
        self.stdout.write(f"{file} : {len(dataset)} lignes au format « {layout.label} ».")
        self.shown = -1
        result = layout(update_existing=update, progress=self.progress).import_data(
            dataset, dry_run=dry_run, file_name=file.name, user=author
        )
        for row in result.refused:
            for message in row.messages:
                self.stderr.write(f"{file}, ligne {row.line} : {message}")
        for error in result.base_errors:
            self.stderr.write(f"{file} : {error.error}")
        if not result.ok:
            first = f", ligne {result.refused[0].line}" if result.refused else ""
            raise CommandError(
                f"{file}{first} : {len(result.refused)} ligne(s) en erreur ; "
                "rien n'a été enregistré."
            )
        prefix = "Essai, rien n'a été enregistré : " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + result.summary))

    def progress(self, done, total):
        tenth = done * 10 // total
        if tenth != self.shown:
            self.shown = tenth
            self.stdout.write(f"{done}/{total} lignes vérifiées")
