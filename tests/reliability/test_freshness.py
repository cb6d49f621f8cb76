"""Two gunicorn workers, caches warm: once a change commits, no worker answers with old data.

Each worker keeps its own cache when there is no Redis, and they share Redis when there is; in
both cases a cached page is named by the database's state, so a change made anywhere (here by
another process, manage.py) is seen by every worker on the very next request. The database holds
the real Lozère data: caches warm with the real pages, and a real place is renamed and archived.
"""

import pytest

from . import stack

pytestmark = pytest.mark.reliability

REDIS_URL = "redis://127.0.0.1:6379/14"
SLUG = "telecentre-de-saint-chely-dapcher"  # a place on the map
PAGE = f"/lieux/{SLUG}/"
PAGES = [
    "/?commune=48140",
    "/?q=telecentre",
    PAGE,
    "/carte/lieux.geojson",
    "/api/lieux/?q=telecentre",
]
RENAME = (
    f"from places.models import Place; place = Place.objects.get(slug='{SLUG}'); "
    "place.name = 'Télécentre renommé'; place.save()"
)
ARCHIVE = (
    "from django.utils import timezone; from places.models import Place; "
    f"place = Place.objects.get(slug='{SLUG}'); place.archived_at = timezone.now(); place.save()"
)
ASKED = 12  # times each page is asked, so that both workers answer each


def answers(server):
    return {path: [server.get(path) for _ in range(ASKED)] for path in PAGES}


def stale(found, expected, absent=()):
    """The answers that miss what they should say, or still say what they should not."""
    return [
        (path, answer.status)
        for path, replies in found.items()
        for answer in replies
        if answer.status != 200
        or any(text not in answer.text for text in expected)
        or any(text in answer.text for text in absent)
    ]


@pytest.mark.parametrize("redis", [False, True], ids=["cache-per-worker", "redis"])
def test_no_worker_answers_from_before_a_change(cluster, tmp_path, redis):
    """With caches warm in two workers (each its own, or Redis), a rename and an archive made by
    another process show on the very next request to either worker."""
    if redis and not stack.redis_answers(REDIS_URL):
        pytest.skip("no Redis server on this machine (CI starts one)")
    name = f"freshness_{'redis' if redis else 'local'}"
    database = stack.seed_database(cluster, name)
    settings = {"REDIS_URL": REDIS_URL} if redis else {}
    environment = stack.django_env(database, **settings)
    with stack.gunicorn(environment, tmp_path, workers=2, threads=1) as server:
        assert not stale(answers(server), [SLUG])  # every page cached by both workers

        stack.manage(environment, "shell", "-c", RENAME)
        assert not stale(answers(server), [SLUG, "Télécentre renommé"])

        stack.manage(environment, "shell", "-c", ARCHIVE)
        after = answers(server)
        page = after.pop(PAGE)
        assert {answer.status for answer in page} == {404}
        assert not stale(after, [], absent=[SLUG])
