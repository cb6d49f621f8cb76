"""The read API, on Django REST framework: the open-data records of places, a page at a time.

The places are chosen by the one PlaceFilter (django-filter's DRF backend) and written from
opendata.records.records(), plain values read in a fixed number of queries: the serializer below
types and documents those records, it never reads a model instance. drf-spectacular generates the
OpenAPI document from these views. Every error is JSON: {"error": reason, "fields": {parameter:
[{"message", "code"}]}}, "fields" only when parameters are at fault (400).
"""

from .pages import MAX_PAGE_SIZE, PAGE_SIZE
from .serializers import json_error
from .views import OpenApiDocument, PlaceDetail, PlaceList, describe_site

__all__ = [
    "MAX_PAGE_SIZE",
    "PAGE_SIZE",
    "OpenApiDocument",
    "PlaceDetail",
    "PlaceList",
    "describe_site",
    "json_error",
]
