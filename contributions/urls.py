from django.urls import path

from . import views

app_name = "contributions"

urlpatterns = [
    path("suggerer-un-lieu/", views.suggest, name="suggest"),
    path("lieux/<slug:slug>/signaler/", views.report, name="report"),
]
