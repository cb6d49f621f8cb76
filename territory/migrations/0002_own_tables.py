"""The moved models' tables take their app's name; their content types follow them."""

from django.db import migrations

MODELS = ['epci', 'commune', 'formercommune']


def own_content_types(apps, schema_editor):
    """The models' content types follow them (their permissions, the admin's log entries), rather
    than new ones being made beside the old."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="places", model__in=MODELS).update(app_label="territory")


def back_to_places(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="territory", model__in=MODELS).update(app_label="places")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('territory', '0001_initial'),
        ('places', '0011_move_territory_and_contributions'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='commune',
            table=None,
        ),
        migrations.AlterModelTable(
            name='epci',
            table=None,
        ),
        migrations.AlterModelTable(
            name='formercommune',
            table=None,
        ),
        migrations.RunPython(own_content_types, back_to_places),
    ]
