"""Django's loaddata, checking every object before it is saved.

Fixtures are saved « raw », bypassing models' validation: a broken file could store invalid
opening hours or coordinates. Here each object is validated first, and any error stops the whole
load (nothing is saved) with a message naming the file, the object and the field.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata


class Command(loaddata.Command):
    help = (
        "Charge des fixtures après avoir validé chaque objet ; une erreur n'enregistre rien et "
        "nomme le fichier, l'objet et le champ."
    )

    def handle(self, *fixture_labels, **options):
        try:
            super().handle(*fixture_labels, **options)
        except CommandError:
            raise
        except Exception as error:  # Django adds the file name to the message; keep it readable
            raise CommandError(_explain(error)) from error

    def parse_name(self, fixture_name):
        # Called for each file just before its objects are read: remember which file it is, to
        # name it when a reference it holds turns out to be unknown (checked after every file).
        self.current_fixture = fixture_name
        return super().parse_name(fixture_name)

    def save_obj(self, obj):
        saved = self._validate_and_save(obj)
        if obj.deferred_fields:
            self.objs_with_deferred_fields[-1] = DeferredReferences(obj, self.current_fixture)
        return saved

    def _validate_and_save(self, obj):
        instance = obj.object
        pending = {field.name for field in obj.deferred_fields}
        try:
            instance.clean_fields(exclude=pending)
            if not pending:
                instance.clean()
        except ValidationError as error:
            raise ValueError(_describe(instance, error)) from error
        return super().save_obj(obj)


class DeferredReferences:
    """An object whose references are resolved after all files: errors name its file."""

    def __init__(self, obj, fixture):
        self.obj, self.fixture = obj, fixture

    def save_deferred_fields(self, using=None):
        try:
            self.obj.save_deferred_fields(using=using)
        except Exception as error:
            instance = self.obj.object
            raise ValueError(
                f"Problem installing fixture '{self.fixture}': objet {instance._meta.label} "
                f"« {_name(instance)} », référence introuvable : {error}"
            ) from error


def _explain(error):
    """Django's message names the file; the cause (say, the JSON error) names the line."""
    message = str(error)
    cause = error.__cause__ or error.__context__
    while cause is not None:
        detail = "" if isinstance(cause, ValidationError) else str(cause)  # already described
        if detail and detail not in message:
            message = f"{message.rstrip(': ')} : {detail}"
        cause = cause.__cause__ or cause.__context__
    return message


def _name(instance):
    try:
        return " / ".join(str(part) for part in instance.natural_key())
    except Exception:  # noqa: BLE001 — a half-built object may not have its natural key yet
        return str(instance.pk or "?")


def _describe(instance, error):
    name = _name(instance)
    problems = "; ".join(
        f"champ « {field} » : {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )
    return f"objet {instance._meta.label} « {name} », {problems}"
