"""What every back-office page shares: ids taken from the request are checked before any query.

Django's admin puts two kinds of values from the request into queries as they come: the rows
ticked for an action (`_selected_action`) and the values an add form is pre-filled with
(`?commune=12`, looked up to show the chosen commune). One that cannot be an id (« abc ») made the
query fail: a 500. Here such a value is dropped first, and the page answers as for an id that
names nothing. The same holds for a form posted back with such a value in an autocomplete field,
its own or an inline's: the form is shown again with its error, the value not looked up.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

ACTION_CHECKBOX = admin.helpers.ACTION_CHECKBOX_NAME


class CheckedAutocompleteMixin:
    """The selected options an autocomplete shows are looked up only for values that can be ids."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        return super().optgroups(name, usable(target, value), attr)


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    """select2 names its box by the text it shows: with no choice made, a placeholder saying what
    to choose rather than an empty box without a name (axe's « aria-input-field-name »)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        if not attrs.get("data-placeholder"):
            attrs["data-placeholder"] = _("Choisir : %(field)s") % {
                "field": self.field.verbose_name
            }
        return attrs


class CheckedAutocompleteSelectMultiple(CheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Several values chosen among a short list (a place's types, services, publics…): ticked
    boxes, each named by its own label, the group by its field's name; Django's two-list selector
    (filter_horizontal) is harder to use and fails axe."""

    template_name = "backoffice/widgets/checkbox_group.html"

    def __init__(self, name, attrs=None, choices=()):
        super().__init__({"class": "solozere-checkboxes", **(attrs or {})}, choices)
        self.group_name = name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["group_name"] = self.group_name
        return context


class CheckboxFields:
    """Many-to-many fields listed in `checkbox_fields` are edited as a CheckboxGroup."""

    checkbox_fields = []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.checkbox_fields:
            kwargs["widget"] = CheckboxGroup(capfirst(db_field.verbose_name))
            if "queryset" not in kwargs and db_field.related_model is User:
                # People who can still sign in, by name.
                kwargs["queryset"] = User.objects.filter(is_active=True).order_by(
                    "last_name", "first_name", "username"
                )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(getattr(widget, "widget", None), CheckboxGroup):
            # Django's « + » adds the new row to a list, never to ticked boxes.
            widget.can_add_related = False
        return formfield


def name_split_inputs(formfield, label):
    """A date and a time typed apart: each input named by its field and its own word (Django's
    label points at neither)."""
    widget = getattr(formfield, "widget", None)
    if isinstance(widget, forms.SplitDateTimeWidget):
        date, time = widget.widgets
        date.attrs["aria-label"] = _("%(field)s : date") % {"field": label}
        time.attrs["aria-label"] = _("%(field)s : heure") % {"field": label}
    return formfield


class CheckedAutocompleteFields:
    """For every ModelAdmin and inline with autocomplete fields (a test checks that each has it).
    It also names what Django's admin leaves unnamed: split date and time inputs."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return name_split_inputs(formfield, capfirst(db_field.verbose_name))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            db = kwargs.get("using")
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=db)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            db = kwargs.get("using")
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=db
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CheckedIdsMixin(CheckedAutocompleteFields):
    """For every ModelAdmin of the site (a test checks that each one has it)."""

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and ACTION_CHECKBOX in request.POST:
            data = request.POST.copy()
            selected = usable(self.model._meta.pk, data.getlist(ACTION_CHECKBOX))
            data.setlist(ACTION_CHECKBOX, selected)
            request.POST = data
        return super().changelist_view(request, extra_context)

    def get_object(self, request, object_id, from_field=None):
        # An empty « _to_field » passes Django's check (it is falsy) but is then looked up as a
        # field named "": the object is found by its key, as without the parameter.
        return super().get_object(request, object_id, from_field or None)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and field.concrete:
                values = value if isinstance(value, list) else [value]
                if len(usable(field.target_field, values)) < len(values):
                    del initial[name]
        return initial


class BackOfficeAdmin(CheckedIdsMixin, admin.ModelAdmin):
    pass


def usable(field, values):
    """The values that can stand for this field in a query."""
    kept = []
    for value in values:
        try:
            field.to_python(value)
        except (ValidationError, TypeError):
            continue
        kept.append(value)
    return kept
