"""Export the directory as Django fixtures: natural keys, stable order, byte-identical twice.

Byte-identical on every database, and after a round trip from one to another (PostgreSQL →
SQLite → PostgreSQL): the rows are sorted here rather than by the database (whose collation and
place for NULL differ), and every time is written in one form, UTC to the microsecond, that each
database stores exactly. Django's own JSON keeps milliseconds and drops a zero fraction, so a
time 0.0005 s past the second was written « .000 », loaded as a whole second and written again
without it.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

# File → models, in loading order. Each model is sorted by its ORDERING (see ordered()).
GROUPS = [
    ("epci", ["territory.epci"]),
    ("communes", ["territory.commune", "territory.formercommune"]),
    (
        "reference",
        [
            "places.family",
            "places.placetype",
            "places.service",
            "places.audience",
            "places.network",
            "places.networktier",
        ],
    ),
    (
        "charter",
        [
            "charter.charterversion",
            "charter.principle",
            "charter.baseitem",
            "charter.specialisation",
            "charter.tierrequirement",
        ],
    ),
    (
        "places",
        [
            "places.place",
            "places.previousslug",
            "places.membership",
            "places.stop",
            "places.room",
        ],
    ),
    ("signatures", ["charter.signature"]),
]
ACCOUNTS = ("accounts", ["auth.group", "auth.user", "places.animateurconsent"])
# Personal data, left out unless a private backup asks for it.
PERSONAL_FIELDS = {"places.place": ["animateurs"]}
# Made from the rest whenever a place is saved or loaded: never written.
DERIVED_FIELDS = {"places.place": ["search_text", "search_main"]}
ORDERING = {
    "territory.epci": ["siren"],
    "territory.commune": ["insee"],
    "territory.formercommune": ["insee"],
    "places.networktier": ["network__code", "code"],
    "charter.charterversion": ["number"],
    "charter.principle": ["number"],
    "charter.tierrequirement": ["tier__network__code", "tier__code"],
    "places.place": ["slug"],
    "places.previousslug": ["slug"],
    "places.membership": ["place__slug", "network__code", "start_year"],
    "places.stop": ["place__slug", "position"],
    "places.room": ["place__slug", "name"],
    "charter.signature": ["place__slug", "version__number"],
    "auth.group": ["name"],
    "auth.user": ["username"],
    "places.animateurconsent": ["user__username"],
}


def fixture_groups(with_accounts):
    return [ACCOUNTS, *GROUPS] if with_accounts else GROUPS


def ordered(model, label):
    """The model's rows sorted by their ORDERING (a unique key) here rather than by the
    database, so the same on all: strings by code point, an empty value first."""
    fields = ORDERING.get(label, ["code"])
    keys = {
        pk: tuple((value is not None, value) for value in key)
        for pk, *key in model._default_manager.values_list("pk", *fields)
    }
    return sorted(model._default_manager.all(), key=lambda row: keys[row.pk])


def serialise(label, with_accounts):
    model = apps.get_model(label)
    fields = None
    excluded = set(DERIVED_FIELDS.get(label, []))
    if not with_accounts:
        excluded |= set(PERSONAL_FIELDS.get(label, []))
    if excluded:
        fields = [
            f.name
            for f in model._meta.get_fields()
            if (f.concrete or f.many_to_many)
            and not f.auto_created
            and not f.primary_key
            and f.name not in excluded
        ]
    return serializers.serialize(
        "python",
        ordered(model, label),
        fields=fields,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )


class FixtureEncoder(DjangoJSONEncoder):
    """Django's JSON, but every time in UTC to the microsecond: 2026-11-22T08:30:00.000000Z."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return super().default(o)


def dumps(records):
    return json.dumps(records, cls=FixtureEncoder, ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = (
        "Écrit l'annuaire en fixtures Django (un fichier par groupe de modèles, clés naturelles, "
        "ordre stable) : deux exports des mêmes données sont identiques à l'octet près. "
        "Sans --with-accounts, aucune donnée personnelle n'est écrite."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "groups",
            nargs="*",
            help=(
                "Les fichiers à écrire, sans « .json » (par défaut tous : "
                f"{' '.join(name for name, _labels in GROUPS)})."
            ),
        )
        parser.add_argument("--output", default="fixtures", type=Path, help="Dossier de sortie.")
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Ajoute les comptes (avec leurs mots de passe chiffrés) : sauvegarde privée.",
        )

    def handle(self, groups, output, with_accounts, **options):
        selected = fixture_groups(with_accounts)
        if groups:
            known = [name for name, _labels in selected]
            unknown = [name for name in groups if name not in known]
            if unknown:
                raise CommandError(
                    f"Fichier inconnu : {', '.join(unknown)} (possibles : {', '.join(known)})."
                )
            selected = [(name, labels) for name, labels in selected if name in groups]
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"{output} : création impossible ({error.strerror}).") from error
        written = []
        for name, labels in selected:
            records = [record for label in labels for record in serialise(label, with_accounts)]
            path = output / f"{name}.json"
            if not records:
                # An empty fixture makes loaddata warn; a stale one would bring old data back.
                path.unlink(missing_ok=True)
                continue
            path.write_text(dumps(records), encoding="utf-8")
            written.append(name)
            self.stdout.write(f"{path} : {len(records)} objet(s)")
        if with_accounts:
            self.stdout.write(
                self.style.WARNING(
                    "Les comptes et les animateurs sont inclus : gardez ces fichiers privés."
                )
            )
        else:
            self.stdout.write(
                "Données personnelles laissées de côté : comptes, animateurs des lieux, "
                "contributions du public et auteurs de l'historique."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Pour recharger : manage.py loaddata {' '.join(written)}")
        )
