"""PDF made from a page's HTML by WeasyPrint, bounded in time, memory and pages.

WeasyPrint runs in a process of its own (printing.weasy) with a time limit and a memory limit:
a worker is never held longer than PDF_TIMEOUT, and what a document took is given back when its
process ends. It reads no file but the site's static ones and fetches nothing from the network.
Documents are bounded before that too: each view caps the places it prints.
"""

import subprocess
import sys
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import TOO_MANY_PAGES


class PdfError(Exception):
    """The document could not be made: too long, too slow, or WeasyPrint failed."""


def static_roots():
    """The folders the site's static files are read from: the collected ones (hashed names, in
    production) first, then the project's own (development and tests)."""
    return [str(settings.STATIC_ROOT), *map(str, settings.STATICFILES_DIRS)]


def render_pdf(html, max_pages=None):
    """The PDF of `html` (bytes); PdfError when it takes longer than PDF_TIMEOUT, more memory
    than PDF_MAX_MEMORY_MB, more pages than `max_pages`, or WeasyPrint fails."""
    base_url = settings.SITE_URL + "/"
    command = [
        sys.executable,
        "-m",
        "printing.weasy",
        "--base-url",
        base_url,
        "--static-prefix",
        urljoin(base_url, settings.STATIC_URL),
        "--max-pages",
        str(max_pages or settings.SOLOZERE_PDF_MAX_PAGES),
        "--max-memory-mb",
        str(settings.SOLOZERE_PDF_MAX_MEMORY_MB),
    ]
    for root in static_roots():
        command += ["--static-root", root]
    try:
        done = subprocess.run(
            command,
            input=html.encode("utf-8"),
            capture_output=True,
            timeout=settings.SOLOZERE_PDF_TIMEOUT,
            cwd=settings.BASE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise PdfError(_("Le document a pris trop de temps à fabriquer.")) from error
    if done.returncode == TOO_MANY_PAGES:
        raise PdfError(_("Le document serait trop long."))
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise PdfError(_("Le document n'a pas pu être fabriqué."))
    return done.stdout


def pdf_response(request, template, context, filename):
    """The template rendered as a PDF, shown in the browser (saved under `filename`); a page
    saying why (503) when it could not be made."""
    html = render_to_string(template, {**context, "pdf": True}, request=request)
    try:
        body = render_pdf(html)
    except PdfError as error:
        message = render_to_string(
            "printing/unavailable.html", {"reason": str(error)}, request=request
        )
        return HttpResponse(message, status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The documents repeat the pages: search engines index the pages.
    response["X-Robots-Tag"] = "noindex"
    return response
