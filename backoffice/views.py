"""The one public page of the back-office: « Toujours exact », opened from a reminder's link."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import reminders

REFUSALS = {
    "invalid": _(
        "Ce lien n'est pas reconnu : il a peut-être été coupé ou modifié. Copiez-le en entier "
        "depuis le courriel, ou connectez-vous à l'espace de gestion."
    ),
    "expired": _(
        "Ce lien a expiré. Connectez-vous à l'espace de gestion pour confirmer vos lieux : "
        "« Les informations sont à jour »."
    ),
    "not-allowed": _(
        "Ce lien ne permet plus de confirmer ce lieu : votre compte n'en est plus animateur. "
        "Écrivez à la coordination si c'est une erreur."
    ),
}


# The signed link, not a cookie, is what allows the confirmation: a forged cross-site POST would
# need the link itself. Without a CSRF cookie to require, the button also works in the mail apps'
# own browsers, which may keep none.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def still_accurate(request, token):
    """GET shows the place and a button; only the button's POST records anything."""
    context = {"days": settings.SOLOZERE_REMINDER_DAYS}
    status = 200
    try:
        link = reminders.open_link(token)
    except reminders.LinkRefused as refusal:
        context.update(state=refusal.kind, reason=str(REFUSALS[refusal.kind]))
        status = refusal.status
    else:
        if request.method == "POST":
            state = "done" if reminders.answer(link) else "already"
        else:
            state = "already" if link.reminder.answered_at else "ask"
        context.update(state=state, link=link, place=link.place)
    response = render(request, "backoffice/still_accurate.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
