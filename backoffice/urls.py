from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("toujours-exact/<str:token>/", views.still_accurate, name="still-accurate"),
]
