"""What each index buys: the request it serves, measured without it and with it."""

from django.db import connection

# The index (as named in places.models.Place.Meta), the request that reads it, and why.
INDEXES = [
    (
        "place_position",
        "map data near a point",
        "« near » first keeps the places inside a bounding box of latitudes and longitudes, "
        "then computes distances for those only; the map's ?bbox= reads the same range.",
    ),
    (
        "place_search_text_trgm",
        "search",
        "a search's words are `LIKE '% word%'` conditions on the places' stored words, which "
        "a trigram GIN index answers without reading every place.",
    ),
    (
        "place_name",
        "API page",
        "the API and the exports read places in name order, a page at a time.",
    ),
]


def effects(measure, urls):
    results = []
    for index, request, why in INDEXES:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
            (definition,) = cursor.fetchone()
            cursor.execute(f'DROP INDEX "{index}"')
            cursor.execute("ANALYZE places_place")
        without = measure.rows({request: urls[request]})[request]["p95"]
        with connection.cursor() as cursor:
            cursor.execute(definition)
            cursor.execute("ANALYZE places_place")
        results.append(
            {
                "index": index,
                "request": request,
                "why": why,
                "without": without,
                "with": measure.rows({request: urls[request]})[request]["p95"],
            }
        )
    return results
