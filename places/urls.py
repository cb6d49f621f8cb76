from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("lieux/<slug:slug>/", views.PlaceDetailView.as_view(), name="detail"),
    path("a-propos/", views.AboutView.as_view(), name="about"),
]
