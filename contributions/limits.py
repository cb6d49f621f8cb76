"""Who is asking, and how often: the visitor's address and the rate limits keyed on it.

One address for everything: the login lockout (django-axes, through AXES_CLIENT_IP_CALLABLE), the
public contributions, password resets and invitations all count the same visitor.

The counts live in the database, which every process and every server already shares: a limit
holds whatever the number of gunicorn workers or machines, with or without Redis.
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .models import RateLimitHit

HOUR = timedelta(hours=1)


def client_address(request):
    """The visitor's address, read past the PROXY_COUNT reverse proxies in front of the site.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    visitor is the PROXY_COUNT-th hop from the right; anything further left may be forged. An IPv6
    visitor is counted by its /64 (what one subscriber gets), given as the network's first
    address. None when no valid address is known.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    candidates = [request.META.get("REMOTE_ADDR", "")]
    if settings.PROXY_COUNT and hops:
        # Fewer hops than proxies: the request skipped an outer proxy; the leftmost hop is still
        # the one the first proxy it met wrote.
        candidates.insert(0, hops[max(len(hops) - settings.PROXY_COUNT, 0)])
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if address.version == 6 and address.ipv4_mapped:
            return str(address.ipv4_mapped)
        if address.version == 6:
            return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
        return str(address)
    return None


def email_subject(email):
    """An e-mail address as a rate limit's subject: the same for any case, and not kept as is."""
    return salted_hmac("solozere.limits.email", email.strip().casefold()).hexdigest()


def spend(action, subject, per_hour):
    """Count one `action` by (or for) `subject`; False, counting nothing, past `per_hour`.

    Insert first, then count: of requests racing on several processes, the last to count sees
    every row before it, so no more than `per_hour` are ever let through.
    """
    now = timezone.now()
    key = f"{action}:{subject}"[: RateLimitHit._meta.get_field("key").max_length]
    RateLimitHit.objects.filter(expires_at__lte=now).delete()
    hit = RateLimitHit.objects.create(key=key, expires_at=now + HOUR)
    if RateLimitHit.objects.filter(key=key, expires_at__gt=now).count() > per_hour:
        hit.delete()
        return False
    return True


def form_refusal(request, form, mails=False):
    """Why a public form posted may not be acted on, said on the form: 429 when this visitor has
    sent too much this hour, or, when acting `mails` the address of its `email` field, that
    mailbox was written to too often; 400 when the form is invalid; None when it may act. A
    robot's form (`form.is_spam`, the honeypot) may act, by doing nothing: it counts no mailbox."""
    if not spend("contribution", client_address(request), settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR):
        form.add_error(None, _("Trop d'envois depuis votre connexion : réessayez dans une heure."))
        return 429
    if not form.is_valid():
        return 400
    email = form.cleaned_data.get("email") if mails else ""
    if email and not form.is_spam:
        per_hour = settings.SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR
        if not spend("email", email_subject(email), per_hour):
            # Nobody fills someone else's mailbox with our e-mails.
            form.add_error(
                None, _("Trop de demandes pour cette adresse : réessayez dans une heure.")
            )
            return 429
    return None


def mail_refusal(request, action, email, per_address):
    """Why an e-mail to `email`, asked for by this request, may not go out now; or None.

    Counts the asking address (`per_address` an hour for this `action`) and the mailbox (password
    resets and invitations together), whether or not an account has that address: the answer
    says nothing about who has an account.
    """
    if not spend(action, client_address(request), per_address):
        return _("Trop de demandes depuis votre connexion : réessayez dans une heure.")
    if not spend("email", email_subject(email), settings.SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR):
        return _("Trop de demandes pour cette adresse : réessayez dans une heure.")
    return None
