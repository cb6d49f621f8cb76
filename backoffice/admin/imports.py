"""Importing places from a spreadsheet in the back-office, on django-import-export's admin views:
upload and preview (nothing written), then confirm. Coordinators only.

Between the preview and the confirmation the file waits in django-import-export's temporary
storage (settings.PENDING_IMPORTS_ROOT), never in the session. The form recognises the file's
format and layout itself: the coordinator only chooses the file and whether places already in
the directory are updated.
"""

import os
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from .. import imports
from ..roles import is_coordinator

# Where django-import-export's MediaStorage (settings.IMPORT_EXPORT_TMP_STORAGE_CLASS) keeps files
# in the "import_export" storage (settings.STORAGES), a folder on the server's disk.
PENDING_FOLDER = "django-import-export"
PENDING_LIFETIME = timedelta(days=1)

UPDATE_LABEL = _("Mettre à jour les lieux déjà présents")


class PlaceImportForm(ImportForm):
    """A file and one choice; its format and layout are read from the file itself."""

    update_existing = forms.BooleanField(
        label=UPDATE_LABEL,
        required=False,
        help_text=_(
            "Sinon, une ligne qui désigne un lieu existant (même nom dans la même commune, ou "
            "même identifiant) est laissée de côté. Une cellule vide ne remplace jamais rien."
        ),
    )

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats, self.resources = formats, resources
        file = self.fields["import_file"]
        file.label = _("Fichier")
        file.help_text = _(
            "CSV (UTF-8 ou Windows-1252, séparateur virgule ou point-virgule), XLSX ou ODS ; "
            "%(size)s Mo et %(rows)s lignes au plus."
        ) % {"size": imports.MAX_FORM_BYTES // 2**20, "rows": imports.MAX_FORM_ROWS}
        file.widget = forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.ods"})
        for name in ("format", "resource"):
            self.fields[name].required = False
            self.fields[name].widget = forms.HiddenInput()

    @property
    def media(self):
        return forms.Media()  # no script guesses the format: the form reads it from the file

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > imports.MAX_FORM_BYTES:  # before reading it
            raise forms.ValidationError(
                gettext(
                    "Le fichier dépasse %(size)s Mo : découpez-le, ou confiez-le à "
                    "l'exploitant du site (commande import_places)."
                )
                % {"size": imports.MAX_FORM_BYTES // 2**20}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None:
            return cleaned
        data = b"".join(upload.chunks())
        try:
            file_format = imports.formats.format_of(data)
            _dataset, layout = imports.read(data, max_rows=imports.MAX_FORM_ROWS)
        except imports.ImportFileError as error:
            self.add_error("import_file", str(error))
            return cleaned
        cleaned["format"] = str(self.formats.index(file_format))
        cleaned["resource"] = str(self.resources.index(layout))
        return cleaned


class PlaceConfirmImportForm(ConfirmImportForm):
    update_existing = forms.BooleanField(required=False, widget=forms.HiddenInput())


class PlaceImportMixin(ImportMixin):
    """/admin/places/place/import/ on the place admin, and its « Importer » button."""

    resource_classes = imports.LAYOUTS
    import_formats = imports.FORMATS
    import_form_class = PlaceImportForm
    confirm_form_class = PlaceConfirmImportForm
    import_template_name = "admin/places/place/import.html"
    import_export_change_list_template = "admin/places/place/change_list.html"

    def has_import_permission(self, request):
        return is_coordinator(request.user)

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        return {"update_existing": bool(cleaned.get("update_existing"))}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["update_existing"] = import_form.cleaned_data["update_existing"]
        return initial

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse):
            context = response.context_data
            result, form = context.get("result"), context.get("form")
            if result is not None and not result.ok:
                # Nothing can be confirmed: the file need not wait.
                name = form.cleaned_data["import_file"].tmp_storage_name
                storages["import_export"].delete(f"{PENDING_FOLDER}/{name}")
            context.update(self._context())
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirming reads and checks the file again (the directory may have changed since the
        preview), then writes it, once: a second click on « Confirmer » finds nothing."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        data = None
        if form.is_valid():
            data = claim_pending_file(form.cleaned_data["import_file_name"])
        if data is None:
            messages.error(request, gettext("Aucun fichier en attente : déposez-le à nouveau."))
            return HttpResponseRedirect(reverse("admin:places_place_import"))
        file_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        result = self.process_dataset(file_format.create_dataset(data), form, request, **kwargs)
        return self.process_result(result, request)

    def process_result(self, result, request):
        if not result.ok:
            messages.error(
                request,
                gettext("Le fichier ne convient plus à l'annuaire : rien n'a été importé."),
            )
            form_class = self.get_import_form_class(request)
            form = form_class(self.get_import_formats(), self.get_import_resource_classes(request))
            context = {
                **self.admin_site.each_context(request),
                **self._context(),
                "opts": self.model._meta,
                "form": form,
                "result": result,
            }
            return TemplateResponse(request, self.import_template_name, context)
        response = super().process_result(result, request)
        return HttpResponseRedirect(f"{response.url}?to_verify__exact=1")

    def add_success_message(self, result, request):
        messages.success(request, result.summary)

    def write_to_tmp_storage(self, import_file, input_format):
        pending = super().write_to_tmp_storage(import_file, input_format)
        remove_stale_pending_files()
        return pending

    def _context(self):
        return {"title": gettext("Importer des lieux"), "project_headers": imports.PROJECT_HEADERS}


def claim_pending_file(name):
    """The bytes of a file waiting for its confirmation, removed as they are read: of two
    confirmations at once, only the one that removes it goes on. None when there is none."""
    storage = storages["import_export"]
    path = f"{PENDING_FOLDER}/{name}"
    try:
        with storage.open(path, "rb") as file:
            data = file.read()
        os.remove(storage.path(path))  # unlike storage.delete(), fails for the second
    except FileNotFoundError:
        return None
    return data


def remove_stale_pending_files():
    """Files previewed but never confirmed are removed after a day."""
    storage = storages["import_export"]
    try:
        _folders, names = storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:
        return
    limit = timezone.now() - PENDING_LIFETIME
    for name in names:
        path = f"{PENDING_FOLDER}/{name}"
        try:
            if storage.get_modified_time(path) < limit:
                storage.delete(path)
        except FileNotFoundError:  # removed meanwhile by another request
            continue
