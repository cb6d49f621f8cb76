"""The public's contributions: suggest a place, report an error on a place's page."""

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from places.links import absolute_url
from places.models import Place

from . import limits
from .forms import ErrorReportForm, SuggestionForm
from .models import Contribution


def suggest(request):
    return _contribute(request, SuggestionForm, Contribution.Kind.SUGGESTION)


def report(request, slug):
    place = get_object_or_404(Place.objects.published(), slug=slug)
    return _contribute(request, ErrorReportForm, Contribution.Kind.ERROR, place)


def _contribute(request, form_class, kind, place=None):
    form = form_class(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = limits.form_refusal(request, form) or 200
        if status == 200:
            if not form.is_spam:
                contribution = form.save(commit=False)
                contribution.kind, contribution.place = kind, place
                contribution.save()
                _announce(contribution)
            messages.success(
                request, _("Merci ! Votre message a bien été transmis à l'équipe de Solozère.")
            )
            return redirect(place or "places:home")
    context = {"form": form, "place": place, "kind": kind}
    return render(request, "contributions/contribute.html", context, status=status)


def _announce(contribution):
    """Coordinators hear of every contribution; a place's animateurs, of reports about it."""
    recipients = (
        [settings.SOLOZERE_COORDINATION_EMAIL] if settings.SOLOZERE_COORDINATION_EMAIL else []
    )
    if contribution.place:
        recipients += [u.email for u in contribution.place.animateurs.all() if u.email]
    if not recipients:
        return
    link = absolute_url(reverse("admin:contributions_contribution_change", args=[contribution.pk]))
    subject = _("Solozère : %(what)s") % {"what": contribution}
    send_mail(
        # A header is one line: a name typed with a line break would make Django refuse the mail.
        subject=" ".join(subject.split()),
        message=_("Message reçu :\n\n%(message)s\n\nÀ traiter ici : %(link)s")
        % {"message": contribution.message, "link": link},
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )
