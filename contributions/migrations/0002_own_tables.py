"""The moved models' tables take their app's name; their content types follow them."""

from django.db import migrations

MODELS = ['contribution', 'ratelimithit']


def own_content_types(apps, schema_editor):
    """The models' content types follow them (their permissions, the admin's log entries), rather
    than new ones being made beside the old."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="places", model__in=MODELS).update(app_label="contributions")


def back_to_places(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="contributions", model__in=MODELS).update(app_label="places")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('contributions', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='contribution',
            table=None,
        ),
        migrations.AlterModelTable(
            name='ratelimithit',
            table=None,
        ),
        migrations.RunPython(own_content_types, back_to_places),
    ]
