"""What each index buys: the request it serves, measured without it and with it."""

from django.db import connection

# The index (as named in places.models.Place.Meta) and the request that reads it.
INDEXES = [
    ("place_position", "list, 3 filters + near"),
    ("place_name", "home"),
]


def effects(measure, urls):
    results = []
    for index, request in INDEXES:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
            (definition,) = cursor.fetchone()
            cursor.execute(f'DROP INDEX "{index}"')
            cursor.execute("ANALYZE places_place")
        without = measure.row(request, urls[request])["p95"]
        with connection.cursor() as cursor:
            cursor.execute(definition)
            cursor.execute("ANALYZE places_place")
        results.append(
            {
                "index": index,
                "request": request,
                "without": without,
                "with": measure.row(request, urls[request])["p95"],
            }
        )
    return results
