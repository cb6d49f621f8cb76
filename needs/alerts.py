"""Being told when a place near you answers a search that found nothing.

Double opt-in: the alert is kept unconfirmed until its owner opens the link of the confirmation
e-mail and presses its button (a POST: mail scanners open links, they do not press buttons);
unconfirmed alerts are deleted after ALERT_CONFIRMATION_DAYS. Every e-mail carries the link that
deletes the alert. Links need no password: they carry the alert's id and a digest of its address,
signed with the site's SECRET_KEY (django.core.signing, a salt per action).

`notify_answered()` (run by cron, `manage.py notify_alerts`) finds the confirmed alerts whose
search now finds a published place within the radius of their commune, e-mails each once and
deletes it: nothing is kept of a need once it is answered.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from places.filters import PlaceFilter
from places.links import absolute_url
from places.models import Place

from .models import Alert, canonical
from .reading import criteria_labels

# What an alert remembers of a search: what was looked for, never when (« ouvert maintenant »).
ALERT_KEYS = ("q", "family", "service", "type", "audience", "network", "accessible")
SALTS = {
    "confirm": "solozere.needs.alert.confirm",
    "unsubscribe": "solozere.needs.alert.unsubscribe",
}
MAX_TOKEN_LENGTH = 300


class Refused(Exception):
    """A link that is not one of ours, with the reason to show."""


def alert_query(data):
    """The part of a search an alert keeps, as a stable querystring."""
    kept = QueryDict(mutable=True)
    for key in ALERT_KEYS:
        if values := data.getlist(key):
            kept.setlist(key, values)
    return canonical(kept)


def search_of(alert, queryset=None):
    """The alert's search, as the directory runs it: from its commune, within its radius."""
    data = QueryDict(alert.query, mutable=True)
    data["near"] = alert.commune.insee
    data["radius"] = str(alert.radius)
    return PlaceFilter(data, queryset=queryset or Place.objects.published())


def directory_url(alert):
    search = search_of(alert)
    return absolute_url(reverse("places:home") + "?" + canonical(search.form.data))


# Links


def _digest(alert):
    return salted_hmac("solozere.needs.alert", alert.email.casefold()).hexdigest()[:16]


def make_token(alert, action):
    return signing.dumps({"i": alert.pk, "h": _digest(alert)}, salt=SALTS[action])


def open_link(token, action):
    """The alert a link was made for; None when it is gone (deleted, or its address changed);
    Refused when the link is not one of ours."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise Refused(_("Ce lien n'est pas valide."))
    try:
        data = signing.loads(token, salt=SALTS[action])
        pk, digest = int(data["i"]), str(data["h"])
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise Refused(_("Ce lien n'est pas valide.")) from None
    alert = Alert.objects.select_related("commune").filter(pk=pk).first()
    if alert is None or _digest(alert) != digest:
        return None
    return alert


def confirm(alert):
    if alert.confirmed_at is None:
        alert.confirmed_at = timezone.now()
        alert.save(update_fields=["confirmed_at"])


def purge(now=None):
    """Delete the alerts left unconfirmed past ALERT_CONFIRMATION_DAYS: how many."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.SOLOZERE_ALERT_CONFIRMATION_DAYS)
    deleted, _by_model = Alert.objects.filter(
        confirmed_at__isnull=True, created_at__lt=limit
    ).delete()
    return deleted


# E-mails


def _send(alert, subject, template, **context):
    """One e-mail in the language the alert was asked in (`subject` lazy, translated then)."""
    with translation.override(alert.language):
        context |= {
            "alert": alert,
            "commune": alert.commune.name,
            "radius": alert.radius,
            "what": describe(alert),
            "unsubscribe_url": absolute_url(
                reverse("needs:unsubscribe", args=[make_token(alert, "unsubscribe")])
            ),
        }
        EmailMessage(
            str(subject)[:200], render_to_string(template, context), to=[alert.email]
        ).send()


def describe(alert):
    """What the alert looks for, in words: the typed words and the criteria's labels."""
    return describe_query(alert.query)


def describe_query(query):
    data = QueryDict(query)
    parts = [f"«\u00a0{data['q']}\u00a0»"] if data.get("q") else []
    parts += criteria_labels(data)
    return ", ".join(parts)


def send_confirmation(alert):
    _send(
        alert,
        gettext_lazy("Confirmez votre alerte Solozère"),
        "needs/alert_confirm_email.txt",
        confirm_url=absolute_url(reverse("needs:confirm", args=[make_token(alert, "confirm")])),
        days=settings.SOLOZERE_ALERT_CONFIRMATION_DAYS,
    )


def notify_answered():
    """E-mail each confirmed alert whose search now finds a place, once, and delete it: how many
    were told."""
    told = 0
    for alert in Alert.objects.filter(confirmed_at__isnull=False).select_related("commune"):
        search = search_of(alert)
        if not search.is_valid() or not search.qs.exists():
            continue
        _send(
            alert,
            gettext_lazy("Un lieu près de chez vous répond à votre recherche"),
            "needs/alert_answered_email.txt",
            places=list(search.qs[:5]),
            search_url=directory_url(alert),
        )
        alert.delete()
        told += 1
    return told
