"""The schema: migrations complete, and PostgreSQL's search extensions enabled by them."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from places.models import Membership, Place
from tests.factories import NetworkFactory, PlaceFactory

repair = importlib.import_module("places.migrations.0010_repair_slugs_and_verification_dates")
accessibility_words = importlib.import_module("places.migrations.0018_accessibility_words")


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    """A change to a model without its migration would break the next deployment: none is
    missing."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_postgresql_has_unaccent_and_pg_trgm():
    """On PostgreSQL the migrations enable the extensions search relies on (accent-insensitive
    matching, trigram similarity)."""
    if connection.vendor != "postgresql":
        pytest.skip("extensions exist only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"unaccent", "pg_trgm"} <= extensions


@pytest.mark.django_db
def test_the_repair_migration_gives_broken_slugs_a_valid_one(client):
    """A place saved with an identifier that is no address (before it was validated) breaks the
    home page, the embed and its commune's page for everyone, until the migration repairs it."""
    broken = PlaceFactory(name="Nouveau lieu")
    Place.objects.filter(pk=broken.pk).update(slug="nouveau lieu é")
    PlaceFactory(name="Taken", slug="nouveau-lieu-e")
    empty = PlaceFactory(name="Sans identifiant")
    Place.objects.filter(pk=empty.pk).update(slug="")
    good = PlaceFactory(name="Bon lieu")

    repair.repair_slugs(apps, None)

    assert Place.objects.get(pk=broken.pk).slug == "nouveau-lieu-e-2"
    assert Place.objects.get(pk=empty.pk).slug == "sans-identifiant"
    assert Place.objects.get(pk=good.pk).slug == "bon-lieu"
    commune = reverse("places:commune", args=[broken.commune.insee])
    for url in [reverse("places:home"), reverse("places:embed"), commune]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_accessibility_migration_gives_existing_databases_their_words():
    """A database made before accessibility was searchable: its vocabulary gets the words, and a
    place already said accessible (or partly) is found by them, with its note; the others keep
    their words."""
    from places.models import SearchWord

    accessible = PlaceFactory(accessibility=Place.Accessibility.PARTIAL)
    noted = PlaceFactory(accessibility_note="Rampe côté parking")
    other = PlaceFactory()
    Place.objects.update(search_text=" lieu ")
    SearchWord.objects.filter(word__in=["mobilite", "reduite", "pmr", "fauteuil"]).delete()

    accessibility_words.remember_words(apps, None)

    assert (
        SearchWord.objects.filter(word__in=["mobilite", "reduite", "pmr", "fauteuil"]).count() == 4
    )
    texts = dict(Place.objects.values_list("pk", "search_text"))
    assert " mobilite reduite " in texts[accessible.pk] and " pmr " in texts[accessible.pk]
    assert " rampe " in texts[noted.pk] and "mobilite" not in texts[noted.pk]
    assert texts[other.pk] == " lieu "


@pytest.mark.django_db
def test_the_repair_migration_forgets_verification_dates_to_come():
    """A « dernière vérification » ahead of today is forgotten, so that reminders ask again."""
    today = timezone.localdate()
    future = PlaceFactory()
    Place.objects.filter(pk=future.pk).update(verified_on=today + timedelta(days=30000))
    verified = PlaceFactory(verified_on=today)

    repair.forget_future_verifications(apps, None)

    assert Place.objects.get(pk=future.pk).verified_on is None
    assert Place.objects.get(pk=verified.pk).verified_on == today


BEFORE_THE_MOVE = [
    ("places", "0010_repair_slugs_and_verification_dates"),
    ("territory", None),
    ("contributions", None),
]
MOVED_TABLES = {
    "territory": ["epci", "commune", "formercommune"],
    "contributions": ["contribution", "ratelimithit"],
}


def table_counts(prefix_of):
    with connection.cursor() as cursor:
        counts = {}
        for app, models in MOVED_TABLES.items():
            for model in models:
                cursor.execute(f"SELECT COUNT(*) FROM {prefix_of(app)}_{model}")
                counts[model] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM places_place WHERE commune_id IS NOT NULL")
        counts["places in a commune"] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_moving_models_to_their_apps_keeps_every_row(shipped_data):
    """The territory's and the contributions' models left `places` for apps of their own: with
    the real data loaded, migrating back to before the move and forward again keeps every row,
    and every place keeps its commune."""
    from django.db.migrations.executor import MigrationExecutor

    from contributions.models import Contribution

    Contribution.objects.create(kind=Contribution.Kind.SUGGESTION, message="Un lieu à ajouter")
    after = table_counts(lambda app: app)
    assert after["commune"] == 152 and after["places in a commune"] > 0

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE_THE_MOVE)
    assert table_counts(lambda app: "places") == after

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    assert table_counts(lambda app: app) == after


BEFORE_ONE_UNDATED = [("places", "0012_place_sources")]


def migrate(targets=None):
    """Migrate to `targets` (by default the latest migrations); the models as they were there."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_one_undated_membership_drops_only_repeated_copies():
    """Before the constraint, a place could hold two undated memberships of one network. The
    migration removes a copy that says the same as another; two that differ (an end, a tier) are
    facts it will not choose between: it stops, naming the place and the network, changes
    nothing, and passes once a coordinator has settled them."""
    copied, differing = PlaceFactory(), PlaceFactory()
    network = NetworkFactory()
    try:
        old = migrate(BEFORE_ONE_UNDATED).get_model("places", "Membership")
        for place, end_years in [(copied, [None, None]), (differing, [None, 2020])]:
            for end_year in end_years:
                old.objects.create(place_id=place.pk, network_id=network.pk, end_year=end_year)
        old.objects.create(place_id=copied.pk, network_id=network.pk, start_year=2019)

        with pytest.raises(RuntimeError, match=f"{differing.slug} / {network.code}"):
            migrate()
        assert old.objects.count() == 5

        old.objects.filter(place_id=differing.pk, end_year=2020).update(start_year=2015)
        migrate()
    finally:
        migrate()
    rows = Membership.objects.values_list("place__slug", "start_year", "end_year")
    assert len(rows) == 4
    assert set(rows) == {
        (copied.slug, None, None),
        (copied.slug, 2019, None),
        (differing.slug, None, None),
        (differing.slug, 2015, 2020),
    }
