"""The public's contributions: suggest a place, report an error on a place's page."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.mail import send_mail
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..forms import ErrorReportForm, SuggestionForm
from ..models import Contribution, Place


def suggest(request):
    return _contribute(request, SuggestionForm, Contribution.Kind.SUGGESTION)


def report(request, slug):
    place = get_object_or_404(Place.objects.published(), slug=slug)
    return _contribute(request, ErrorReportForm, Contribution.Kind.ERROR, place)


def _contribute(request, form_class, kind, place=None):
    form = form_class(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if _over_the_limit(request):
            form.add_error(
                None, _("Trop d'envois depuis votre connexion : réessayez dans une heure.")
            )
            status = 429
        elif form.is_valid():
            if not form.is_spam:
                contribution = form.save(commit=False)
                contribution.kind, contribution.place = kind, place
                contribution.save()
                _announce(request, contribution)
            messages.success(
                request, _("Merci ! Votre message a bien été transmis à l'équipe de Solozère.")
            )
            return redirect(place or "places:home")
        else:
            status = 400
    context = {"form": form, "place": place, "kind": kind}
    return render(request, "places/contribute.html", context, status=status)


def client_address(request):
    """The visitor's address, read past the PROXY_COUNT reverse proxies in front of the site."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if settings.PROXY_COUNT and len(hops) >= settings.PROXY_COUNT:
        return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


def _over_the_limit(request):
    key = f"contributions:{client_address(request)}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR


def _announce(request, contribution):
    """Coordinators hear of every contribution; a place's animateurs, of reports about it."""
    recipients = (
        [settings.SOLOZERE_COORDINATION_EMAIL] if settings.SOLOZERE_COORDINATION_EMAIL else []
    )
    if contribution.place:
        recipients += [u.email for u in contribution.place.animateurs.all() if u.email]
    if not recipients:
        return
    link = request.build_absolute_uri(
        reverse("admin:places_contribution_change", args=[contribution.pk])
    )
    send_mail(
        subject=_("Solozère : %(what)s") % {"what": contribution},
        message=_("Message reçu :\n\n%(message)s\n\nÀ traiter ici : %(link)s")
        % {"message": contribution.message, "link": link},
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )
