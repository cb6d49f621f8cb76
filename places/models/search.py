"""What search reads: each place's words, stored with it, and the directory's distinct words.

A place's words come from its name, descriptions and structure, its commune (and the former
communes people still name), its stops, and the labels and synonyms of what it offers: the
services, types and publics, their families and its networks. `refresh_search_text` makes them
again whenever any of these changes (places.signals), for a place or thousands at once; within
`made_once()`, once at its end.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, models
from django.db.models import Prefetch, Q

from territory.text import one_slip_apart

from .. import search
from .networks import Membership
from .place import Place

MAX_WORD_LENGTH = 60
# Near misses: only for words this long, and only as close as a letter dropped or two swapped.
# Trigrams say « close » from 0.4; a swap inside a word breaks more trigrams (« démarhces »:
# 0.385), so a word within one slip is also taken from pg_trgm's own threshold, 0.3.
NEAR_MISS_MIN_LENGTH = 4
NEAR_MISS_MIN_SIMILARITY = 0.4
ONE_SLIP_MIN_SIMILARITY = 0.3
NEAR_MISS_CANDIDATES = 20
# Within made_once(): the places whose words to make again, and the texts to remember.
_pending = ContextVar("pending_search_words", default=None)


@dataclass
class Interpretation:
    """What a search looks for: its terms, the near misses put right, the words found nowhere."""

    terms: list = field(default_factory=list)
    corrections: list = field(default_factory=list)  # (as typed, as written in the directory)
    unknown: list = field(default_factory=list)  # as typed

    @property
    def corrected(self):
        """The words searched in place of near misses, as the directory writes them."""
        return [understood for _typed, understood in self.corrections]


class SearchWordQuerySet(models.QuerySet):
    def interpret(self, text):
        """The terms of a search, each as typed when some place has it, else its nearest word
        when one is close enough, else left out (and said so)."""
        typed = search.terms(text)
        if not typed:
            return Interpretation()
        condition = Q()
        for term in typed:
            condition |= Q(word__startswith=term) if search.is_prefix(term) else Q(word=term)
        vocabulary = list(self.filter(condition).values_list("word", flat=True))
        result = Interpretation()
        for term, written in typed.items():
            if any(search.matches(term, word) for word in vocabulary):
                result.terms.append(term)
            elif (nearest := self.nearest(term)) is not None:
                result.terms.append(nearest.word)
                result.corrections.append((written, nearest.form))
            else:
                result.unknown.append(written)
        return result

    def remember(self, *texts):
        """Keep the words of these texts, each with the first way it was written."""
        if (pending := _pending.get()) is not None:
            pending["texts"].extend(texts)
            return
        forms = {}
        for text in texts:
            for written, compared in search.tokens(text):
                if len(compared) <= MAX_WORD_LENGTH:
                    forms.setdefault(compared, written[:MAX_WORD_LENGTH])
        self.bulk_create(
            [SearchWord(word=word, form=form) for word, form in forms.items()],
            ignore_conflicts=True,
            batch_size=1000,
        )

    def nearest(self, term):
        """The directory's word closest to a misspelt term, or None."""
        if len(term) < NEAR_MISS_MIN_LENGTH:
            return None
        words = self
        if connection.vendor == "postgresql":
            words = words.filter(word__trigram_similar=term)  # answered from the trigram index
        candidates = (
            words.annotate(similarity=TrigramSimilarity("word", term))
            .filter(similarity__gte=ONE_SLIP_MIN_SIMILARITY)
            .order_by("-similarity", "word")[:NEAR_MISS_CANDIDATES]
        )
        for word in candidates:
            close = word.similarity >= NEAR_MISS_MIN_SIMILARITY
            if close or one_slip_apart(term, word.word):
                return word
        return None


class SearchWord(models.Model):
    """A word of the directory (a place's text, or the vocabulary of services, types, publics,
    networks and communes), for near misses (« marvjols » → « Marvejols »)."""

    word = models.CharField(max_length=MAX_WORD_LENGTH, primary_key=True)
    form = models.CharField(max_length=MAX_WORD_LENGTH, help_text="as first written")

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word


# What a place accessible, even partly, to people with reduced mobility is found by, in French and
# English. The directory's vocabulary always holds these words: a search for « mobilité réduite »
# is never read as the nearest word, « mobilier », even when no place is accessible.
ACCESSIBLE_WORDS = (
    "accessible",
    "mobilité réduite",
    "PMR",
    "fauteuil roulant",
    "wheelchair accessible",
    "reduced mobility",
)


def _labels(options):
    return [text for option in options for text in vocabulary(option)]


def vocabulary(option):
    """What a service, type, public, family or network is called: its labels and synonyms."""
    return [option.label_fr, option.label_en, getattr(option, "synonyms", "")]


def texts_of(place):
    """(main texts, other texts) of a place fetched as refresh_search_text fetches it."""
    offered = [*place.services.all(), *place.types.all(), *place.audiences.all()]
    main = [place.name, *_labels(offered)]
    commune = place.commune
    places_named = (
        [commune.name, *(old.name for old in commune.former_communes.all())] if commune else []
    )
    stops = [stop.commune.name for stop in place.stops.all() if stop.commune] + [
        stop.label for stop in place.stops.all()
    ]
    other = [
        place.short_description,
        place.description,
        place.structure_name,
        *(ACCESSIBLE_WORDS if place.accessibility in Place.ACCESSIBLE else ()),
        place.accessibility_note,
        *places_named,
        *stops,
        *_labels(place.families.all()),
        *_labels(membership.network for membership in place.memberships.all()),
    ]
    return main, other


@contextmanager
def made_once():
    """Words made once, at the end, for everything saved within: loading fixtures saves hundreds
    of rows one by one, each of which would make its places' words again. Nothing is made if the
    block fails; wrap it in the transaction that saves."""
    if _pending.get() is not None:
        yield
        return
    pending = {"places": set(), "texts": []}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    refresh_search_text(pending["places"])
    SearchWord.objects.remember(*pending["texts"])


def refresh_search_text(place_ids):
    """Make the search text of these places again, in a few queries however many they are."""
    if (pending := _pending.get()) is not None:
        pending["places"].update(place_ids)
        return
    places = list(
        Place.objects.filter(pk__in=place_ids)
        .select_related("commune")
        .prefetch_related(
            "services",
            "types",
            "audiences",
            "families",
            "commune__former_communes",
            "stops__commune",
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().select_related("network"),
            ),
        )
    )
    texts = list(ACCESSIBLE_WORDS)
    for place in places:
        main, other = texts_of(place)
        place.search_main = search.stored(*main)
        place.search_text = search.stored(*main, *other)
        texts += [*main, *other]
    Place.objects.bulk_update(places, ["search_main", "search_text"], batch_size=500)
    SearchWord.objects.remember(*texts)
