"""Importing places from a spreadsheet in the back-office: upload, preview, then confirm."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import imports
from ..roles import is_coordinator

SESSION_KEY = "solozere_place_import"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Le CSV des données ouvertes de Solozère (modifié dans un tableur) ou la liste "
            "France services de l'ANCT. UTF-8 ou Windows-1252, séparateur virgule ou "
            "point-virgule, 2 Mo au plus."
        ),
    )
    update_existing = forms.BooleanField(
        label=_("Mettre à jour les lieux déjà présents"),
        required=False,
        help_text=_(
            "Sinon, une ligne qui désigne un lieu existant (même nom, même commune) est ignorée."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            imports.check_size(upload.size)  # before reading it
        except imports.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class PlaceImportMixin:
    """Adds /admin/places/place/import/ to the place admin, for coordinators."""

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="places_place_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request):
        if not (is_coordinator(request.user) and self.has_add_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                layout, rows = imports.read(data)
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                imports.check(rows)
                request.session[SESSION_KEY] = {
                    "data": imports.decode(data),
                    "update": form.cleaned_data["update_existing"],
                    "name": form.cleaned_data["file"].name,
                }
                return self._preview(request, layout, rows, form.cleaned_data["update_existing"])
        return self._render(request, {"form": form})

    def _confirm(self, request):
        pending = request.session.get(SESSION_KEY)
        if not pending:
            messages.error(request, gettext("Aucun fichier en attente : déposez-le à nouveau."))
            return HttpResponseRedirect(reverse("admin:places_place_import"))
        # The directory may have changed since the preview: read and check again.
        layout, rows = imports.read(pending["data"].encode("utf-8"))
        imports.check(rows)
        if any(row.errors for row in rows):
            return self._preview(request, layout, rows, pending["update"])
        created, updated, skipped = imports.save(rows, pending["update"], user=request.user)
        del request.session[SESSION_KEY]
        messages.success(
            request,
            ngettext(
                "%(created)s lieu créé (à vérifier)",
                "%(created)s lieux créés (à vérifier)",
                created,
            )
            % {"created": created}
            + ", "
            + ngettext("%(updated)s mis à jour", "%(updated)s mis à jour", updated)
            % {"updated": updated}
            + ", "
            + ngettext("%(skipped)s ignoré", "%(skipped)s ignorés", skipped) % {"skipped": skipped}
            + ".",
        )
        changelist = reverse("admin:places_place_changelist")
        return HttpResponseRedirect(f"{changelist}?to_verify__exact=1")

    def _preview(self, request, layout, rows, update_existing):
        errors = sum(1 for row in rows if row.errors)
        context = {
            "layout": layout,
            "rows": rows,
            "error_count": errors,
            "update_existing": update_existing,
            "new_count": sum(1 for row in rows if not row.errors and not row.match),
            "matched_count": sum(1 for row in rows if not row.errors and row.match),
        }
        return self._render(request, context)

    def _render(self, request, context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Importer des lieux"),
            "project_headers": imports.PROJECT_HEADERS,
            **context,
        }
        return TemplateResponse(request, "admin/places/place/import.html", context)
