"""Hostile input never breaks the needs' pages: « Je cherche… », the alert form and its links,
the unmet demand's page and CSV.

The same strategies as tests/reliability/test_bad_input.py, over its small directory. Each answer
is an ordinary one (200, 302, 400, 404, 405; 429 once a limit is spent), never a server error;
each 400 says why (a plain-text reason, or the form's errors on its page); nothing typed comes
back as markup; nothing is kept from a request refused.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from needs import alerts
from needs.models import Alert, UnmetSearch
from tests import directory
from tests.factories import AlertFactory
from tests.fuzzing import fuzzing
from tests.reliability.test_bad_input import (
    HIDDEN_FIELDS,
    MARKUP,
    VALID,
    altered,
    fetch,
    junk,
    queries,
    raw_queries,
    refused_before_the_view,
    with_segment,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]


@pytest.fixture
def site_data(db):
    """The small directory, built once per test (hypothesis's examples all meet the same)."""
    return directory.build()


NEED_CODES = ["bureau", "reunion-visio", "acheter-local", "nulle-part"]
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 Firefox/128.0"}


def assert_reason(response, unnamed=HIDDEN_FIELDS):
    """A 400 says why: in plain text, or each of its form's errors on its page (a HEAD has no
    body to say it in)."""
    if response.request.get("REQUEST_METHOD") == "HEAD":
        return
    body = response.content.decode(errors="replace")
    if response["Content-Type"].startswith("text/html"):
        assert MARKUP not in body
    if response.status_code != 400:
        return
    if response["Content-Type"].startswith("text/plain"):
        assert body.strip()
        return
    context = response.context or {}
    if "form" in context and not refused_before_the_view(response):
        for field, messages in context["form"].errors.items():
            if field not in unnamed:
                for message in messages:
                    assert escape(message) in body, (field, message)
    elif "reason" in context:
        assert escape(context["reason"]) in body
    else:
        assert body.strip()


@fuzzing(60)
@given(
    code=st.one_of(st.sampled_from(NEED_CODES), junk),
    query=st.one_of(queries, raw_queries),
)
def test_a_need_button_takes_any_query(client, site_data, code, query):
    """The need's address: a redirect to the directory, a 404 for a need that is not offered, a
    400 saying why."""
    response = fetch(client, f"{reverse('needs:go')}?{urlencode({'besoin': code})}&{query}")
    assert_reason(response)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("places:home") + "?")


@fuzzing(60)
@given(query=st.one_of(queries, raw_queries))
def test_the_directory_counts_any_empty_search_without_failing(client, site_data, query):
    """Whatever a search holds, counting it as unmet demand never fails, and what is kept stays
    within its columns."""
    response = fetch(client, f"{reverse('places:home')}?{query}", **BROWSER)
    assert response.status_code in {200, 400}
    for row in UnmetSearch.objects.all():
        assert len(row.words) <= 200 and "\x00" not in row.words + row.criteria


@pytest.fixture
def unlimited(settings):
    """No hourly limit: set once for the test, not for each example (each setting of `settings`
    wraps the last one)."""
    settings.SOLOZERE_CONTRIBUTIONS_PER_HOUR = 10**9
    settings.SOLOZERE_EMAILS_PER_RECIPIENT_PER_HOUR = 10**9


ALERT_FIELDS = {
    "email": st.sampled_from(["camille@example.org", "@", "a" * 300 + "@example.org", MARKUP]),
    "commune": st.sampled_from(["48095", "Mende", "Nulle-Part", "2A004"]),
    "radius": st.sampled_from(["5", "10", "50", "7", "-1", "1e309"]),
    "nickname": st.sampled_from(["", "robot"]),
}


@fuzzing(60)
@given(
    query=st.one_of(queries, raw_queries),
    data=st.fixed_dictionaries(
        {},
        optional={
            **{name: st.one_of(valid, junk) for name, valid in ALERT_FIELDS.items()},
            "confirmed_at": junk,
            "query": junk,
        },
    ),
    method=st.sampled_from(["get", "post", "head", "put", "delete"]),
    address=st.ip_addresses().map(str),
)
def test_the_alert_form_takes_any_query_and_post(
    client, site_data, unlimited, query, data, method, address
):
    """The alert's form: sent, or refused with each reason; a refused post keeps nothing, and no
    alert is ever confirmed by the form itself."""
    before = Alert.objects.count()
    kwargs = {"data": data} if method == "post" else {}
    response = fetch(
        client, f"{reverse('needs:alert')}?{query}", method=method, REMOTE_ADDR=address, **kwargs
    )
    assert_reason(response)
    if response.status_code != 200 or method != "post":
        assert Alert.objects.count() == before
    assert not Alert.objects.filter(confirmed_at__isnull=False).exists()


@pytest.fixture
def alert_token(site_data):
    alert = AlertFactory(confirmed_at=None)
    return alert, alerts.make_token(alert, "confirm"), alerts.make_token(alert, "unsubscribe")


@fuzzing(80)
@given(
    change=st.one_of(
        st.tuples(st.integers(0, 200), st.text(max_size=3), st.booleans()),
        junk.map(lambda text: (None, text, False)),
    ),
    action=st.sampled_from(["needs:confirm", "needs:unsubscribe"]),
    method=st.sampled_from(["get", "head", "post", "put", "delete", "options"]),
)
def test_the_alert_links_take_any_token(client, alert_token, change, action, method):
    """A confirm or delete address, altered, cut or hostile: a 400 saying why, and the alert
    changed only by the token that was sent."""
    alert, confirm, unsubscribe = alert_token
    sent = confirm if action == "needs:confirm" else unsubscribe
    position, text, cut = change
    token = text if position is None else altered(sent, position, text, cut)
    response = fetch(client, with_segment(action, token), method=method)
    assert_reason(response)
    if token != sent:
        kept = Alert.objects.filter(pk=alert.pk).first()
        assert kept is not None and kept.confirmed_at is None, token


@fuzzing(60)
@given(
    name=st.sampled_from(["needs:unmet", "needs:unmet-csv"]),
    query=st.one_of(
        queries,
        raw_queries,
        st.fixed_dictionaries(
            {},
            optional={
                "epci": st.one_of(st.sampled_from(VALID["near"] + ["244800470"]), junk),
                "commune": st.one_of(st.sampled_from(VALID["near"]), junk),
            },
        ).map(urlencode),
    ),
    method=st.sampled_from(["get", "head", "post"]),
)
def test_the_unmet_demand_takes_any_area(client, site_data, name, query, method):
    """The unmet demand's page and CSV: an area it does not know is a 400 saying why."""
    response = fetch(client, f"{reverse(name)}?{query}", method=method)
    assert_reason(response)
