"""Pages of places: `page` and `page_size`, refused rather than changed when out of bounds."""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from places.links import absolute_url

from ..records import provenance
from .serializers import PROVENANCE

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PlacePages(PageNumberPagination):
    """`page` and `page_size` (at most MAX_PAGE_SIZE); a page that does not exist and a size out of
    bounds are a 400 with the reason, never silently changed."""

    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    # How the OpenAPI document names what is counted and paged.
    found = _("Lieux trouvés")
    per_page = _("Lieux par page")
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        try:
            size = int(value)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            reason = _("page_size : un nombre entier de 1 à %(max)s.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [reason]}, code="invalid")
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = request.query_params.get(self.page_query_param, 1)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            reason = _("page : un nombre entier de 1 à %(pages)s.") % {"pages": paginator.num_pages}
            raise ValidationError({self.page_query_param: [reason]}, code="invalid") from None
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "page": self.page.number,
                "pages": self.page.paginator.num_pages,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                **provenance(),
                "results": data,
            }
        )

    def page_url(self, number):
        """On SITE_URL, never on the Host header a visitor sent (places.links)."""
        query = self.request.query_params.copy()
        query[self.page_query_param] = number
        return absolute_url(f"{self.request.path}?{query.urlencode()}")

    def get_next_link(self):
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else None

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        return self.page_url(self.page.previous_page_number())

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": [
                "count",
                "page",
                "pages",
                "next",
                "previous",
                *PROVENANCE,
                "results",
            ],
            "properties": {
                "count": {"type": "integer", "minimum": 0, "description": self.found},
                "page": {"type": "integer", "minimum": 1, "description": _("Cette page")},
                "pages": {"type": "integer", "minimum": 1, "description": _("Nombre de pages")},
                "next": {**link, "description": _("La page suivante, s'il y en a une")},
                "previous": {**link, "description": _("La page précédente, s'il y en a une")},
                **PROVENANCE,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        def integer(name, description, **bounds):
            schema = {"type": "integer", "minimum": 1, **bounds}
            return {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": schema,
            }

        return [
            integer(self.page_query_param, _("Numéro de la page"), default=1),
            integer(
                self.page_size_query_param,
                self.per_page,
                maximum=self.max_page_size,
                default=self.page_size,
            ),
        ]
