"""The public pages of the directory."""

from django.views.generic import DetailView, ListView, TemplateView

from .models import Commune, Place


class HomeView(ListView):
    """The directory: every listed place with its pictograms."""

    template_name = "places/home.html"
    context_object_name = "places"

    def get_queryset(self):
        return Place.objects.active().with_card_data()


class PlaceDetailView(DetailView):
    template_name = "places/detail.html"
    context_object_name = "place"

    def get_queryset(self):
        return Place.objects.with_card_data().prefetch_related(
            "audiences", "stops__commune", "rooms__equipment", "animateurs"
        )


class AboutView(TemplateView):
    """What Solozère is and where its data comes from."""

    template_name = "places/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            place_count=Place.objects.active().count(),
            commune_count=Commune.objects.count(),
            **kwargs,
        )
