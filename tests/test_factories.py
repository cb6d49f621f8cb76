"""Every model of the project has a factory that builds a valid row: tests say only what matters."""

import pytest
from django.apps import apps
from django.test import override_settings

from tests import factories

OUR_APPS = ["territory", "places", "contributions", "charter", "agenda"]


def our_models():
    return [
        model
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def factory_of(model):
    found = [
        item
        for item in vars(factories).values()
        if isinstance(item, type)
        and issubclass(item, factories.factory.django.DjangoModelFactory)
        and item._meta.model is model
    ]
    return found[0] if found else None


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model._meta.label)
@pytest.mark.django_db
def test_every_model_has_a_factory_building_a_valid_row(model, tmp_path):
    """A model without a factory pushes tests back to the real fixtures or hand-built rows."""
    factory = factory_of(model)
    assert factory is not None, f"tests/factories.py has no factory for {model._meta.label}"
    with override_settings(MEDIA_ROOT=tmp_path):
        instance = factory()
    instance.full_clean(validate_unique=False)
    assert model.objects.filter(pk=instance.pk).exists()
