"""Export the directory as Django fixtures: natural keys, stable order, byte-identical twice."""

import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError

# File → models, in loading order. Each model is sorted by its natural key.
GROUPS = [
    ("epci", ["places.epci"]),
    ("communes", ["places.commune", "places.formercommune"]),
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
    ("places", ["places.place", "places.membership", "places.stop", "places.room"]),
    ("signatures", ["charter.signature"]),
]
ACCOUNTS = ("accounts", ["auth.group", "auth.user"])
# Personal data, left out unless a private backup asks for it.
PERSONAL_FIELDS = {"places.place": ["animateurs"]}
ORDERING = {
    "places.epci": ["siren"],
    "places.commune": ["insee"],
    "places.formercommune": ["insee"],
    "places.networktier": ["network__code", "code"],
    "charter.charterversion": ["number"],
    "charter.principle": ["number"],
    "charter.tierrequirement": ["tier__network__code", "tier__code"],
    "places.place": ["slug"],
    "places.membership": ["place__slug", "network__code", "start_year"],
    "places.stop": ["place__slug", "position"],
    "places.room": ["place__slug", "name"],
    "charter.signature": ["place__slug", "version__number"],
    "auth.group": ["name"],
    "auth.user": ["username"],
}


def fixture_groups(with_accounts):
    return [ACCOUNTS, *GROUPS] if with_accounts else GROUPS


def serialise(label, with_accounts):
    model = apps.get_model(label)
    queryset = model._default_manager.order_by(*ORDERING.get(label, ["code"]))
    fields = None
    if not with_accounts and label in PERSONAL_FIELDS:
        excluded = set(PERSONAL_FIELDS[label])
        fields = [
            f.name
            for f in model._meta.get_fields()
            if (f.concrete or f.many_to_many)
            and not f.auto_created
            and not f.primary_key
            and f.name not in excluded
        ]
    text = serializers.serialize(
        "json",
        queryset,
        fields=fields,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    return json.loads(text)


class Command(BaseCommand):
    help = (
        "Écrit l'annuaire en fixtures Django (un fichier par groupe de modèles, clés naturelles, "
        "ordre stable) : deux exports des mêmes données sont identiques à l'octet près. "
        "Sans --with-accounts, aucune donnée personnelle n'est écrite."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default="fixtures", type=Path, help="Dossier de sortie.")
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Ajoute les comptes (avec leurs mots de passe chiffrés) : sauvegarde privée.",
        )

    def handle(self, output, with_accounts, **options):
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"{output} : création impossible ({error.strerror}).") from error
        written = []
        for name, labels in fixture_groups(with_accounts):
            records = [record for label in labels for record in serialise(label, with_accounts)]
            path = output / f"{name}.json"
            if not records:
                # An empty fixture makes loaddata warn; a stale one would bring old data back.
                path.unlink(missing_ok=True)
                continue
            text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
            path.write_text(text, encoding="utf-8")
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
