"""The directory in memory: each published place is a bit, each criterion's value a bitmap.

A faceted page asks, for every option of every criterion, how many places it would give with the
other criteria applied: about a hundred counts per page. Asked of the database, that is some
twenty queries, each re-applying every filter, « near » included. Held as bitmaps (a Python int
with one bit per place, places in list order), a count is an AND and a popcount over a few
kilobytes: all the counts of a page take well under a millisecond at 20,000 places.

Free text is searched here too: every word of the search must appear in a place's texts
(accents and case ignored), or, for a word of four letters or more, be a near miss of a word of
its name, its commune or its services (« marvjols » finds Marvejols), measured by RapidFuzz.

The index is built from a handful of queries, once per data version in each process: any change
to the directory bumps the version (see places.cache), and the next request builds it again.
Text search is built on the first search only.
"""

import re
import threading
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from itertools import chain, islice
from math import floor

from rapidfuzz import fuzz, process

from ..cache import data_version
from ..geo import bounding_box, distance_km
from ..models import (
    Audience,
    Commune,
    Family,
    FormerCommune,
    Membership,
    Network,
    Place,
    PlaceType,
    Service,
)
from ..search import strip_accents

# facet name → (many-to-many field on Place, foreign key name on its through model, option model)
RELATED_FACETS = {
    "family": ("families", "family", Family),
    "service": ("services", "service", Service),
    "type": ("types", "placetype", PlaceType),
    "audience": ("audiences", "audience", Audience),
}
SPARSE = {"commune", "epci"}
CELLS_PER_DEGREE = 10  # « near » looks in cells of a tenth of a degree (about 11 km × 8 km)
MAX_TERMS = 8
TYPO_MIN_LENGTH = 4  # shorter words have too many near misses
TYPO_MIN_SCORE = 80  # RapidFuzz ratio: one letter dropped or swapped in a word of 5 or more
WORD = re.compile(r"\w+")


def mask_of(positions, size):
    """The bitmap of these positions."""
    bits = bytearray((size + 7) // 8)
    for position in positions:
        bits[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(bits, "little")


def positions_of(mask):
    """The positions of a bitmap's bits, in increasing order, lazily."""
    return (match.start() for match in re.finditer("1", bin(mask)[:1:-1]))


def terms(text):
    """The words a search looks for: accents and case gone, the first eight."""
    return strip_accents(text.replace("\0", " ")).split()[:MAX_TERMS]


class DirectoryIndex:
    """Published places in list order (name, then creation), with a bitmap per criterion."""

    def __init__(self, version):
        self.version = version
        rows = list(
            Place.objects.published()
            .order_by("name", "pk")
            .values_list(
                "pk",
                "status",
                "accessibility",
                "commune_id",
                "commune__epci_id",
                "latitude",
                "longitude",
            )
        )
        self.size = len(rows)
        self.pks = [row[0] for row in rows]
        self.position = {pk: number for number, pk in enumerate(self.pks)}
        self.everything = (1 << self.size) - 1
        self.coordinates = [(row[5], row[6]) for row in rows]
        grouped = {}
        cells = {}
        for number, (_, status, accessibility, commune, epci, latitude, longitude) in enumerate(
            rows
        ):
            grouped.setdefault(("status", status), []).append(number)
            grouped.setdefault(("accessibility", accessibility), []).append(number)
            grouped.setdefault(("commune", commune), []).append(number)
            grouped.setdefault(("epci", epci), []).append(number)
            if latitude is not None and longitude is not None:
                grouped.setdefault(("located", True), []).append(number)
                cells.setdefault(self._cell(latitude, longitude), []).append(number)
        for name, (field, key, _) in RELATED_FACETS.items():
            links = getattr(Place, field).through.objects.values_list("place_id", f"{key}_id")
            self._group(grouped, name, links)
        current = Membership.objects.filter(end_year__isnull=True)
        self._group(grouped, "network", current.values_list("place_id", "network_id"))
        # A commune or an EPCI holds few places: its positions are kept, its bitmap made when
        # asked (thousands of bitmaps of 20,000 bits would weigh megabytes).
        self.masks = {
            key: mask_of(numbers, self.size)
            for key, numbers in grouped.items()
            if key[0] not in SPARSE
        }
        self.sparse = {key: numbers for key, numbers in grouped.items() if key[0] in SPARSE}
        self.cells = cells
        self.options = {
            name: list(model.objects.all()) for name, (*_, model) in RELATED_FACETS.items()
        }
        self.options["network"] = list(Network.objects.all())
        self.by_code = {
            name: {option.code: option for option in options}
            for name, options in self.options.items()
        }
        self._labels = {}
        self._moments = {}
        self._text = None
        self._lock = threading.Lock()

    def _group(self, grouped, name, pairs):
        for place, value in pairs:
            number = self.position.get(place)
            if number is not None:
                grouped.setdefault((name, value), []).append(number)

    @staticmethod
    def _cell(latitude, longitude):
        return floor(latitude * CELLS_PER_DEGREE), floor(longitude * CELLS_PER_DEGREE)

    def mask(self, criterion, values):
        """Places having any of these values of a criterion (several values: OR)."""
        if criterion in SPARSE:
            return mask_of(
                chain.from_iterable(self.sparse.get((criterion, v), ()) for v in values),
                self.size,
            )
        result = 0
        for value in values:
            result |= self.masks.get((criterion, value), 0)
        return result

    def labelled_options(self, name, language):
        """A facet's options as (pk, code, label, pictogram URL), in a language."""
        key = (name, language)
        if key not in self._labels:
            self._labels[key] = [
                (option.pk, option.code, option.label, getattr(option, "pictogram_url", ""))
                for option in self.options[name]
            ]
        return self._labels[key]

    def of_pks(self, pks):
        return mask_of((self.position[pk] for pk in pks if pk in self.position), self.size)

    def open_at(self, minute, open_pks):
        """The bitmap of places open at a minute, `open_pks()` read once per minute."""
        if minute not in self._moments:
            if len(self._moments) > 4:
                self._moments.clear()
            self._moments[minute] = self.of_pks(open_pks())
        return self._moments[minute]

    def near(self, latitude, longitude, km):
        """Places within km of a point: their bitmap, and each one's distance."""
        (lat_min, lat_max), (lon_min, lon_max) = bounding_box(latitude, longitude, km)
        row_min, column_min = self._cell(lat_min, lon_min)
        row_max, column_max = self._cell(lat_max, lon_max)
        distances = {}
        for row in range(row_min, row_max + 1):
            for column in range(column_min, column_max + 1):
                for number in self.cells.get((row, column), ()):
                    there_latitude, there_longitude = self.coordinates[number]
                    if not (
                        lat_min <= there_latitude <= lat_max
                        and lon_min <= there_longitude <= lon_max
                    ):
                        continue  # in a cell the box touches, not in the box
                    distance = distance_km(latitude, longitude, there_latitude, there_longitude)
                    if distance <= km:
                        distances[number] = distance
        return mask_of(distances, self.size), distances

    # Text

    def search(self, text):
        """The bitmap of places whose texts hold every word of `text` (see the module)."""
        index = self._text_index()
        result = self.everything
        for term in terms(text):
            found = index.containing(term)
            if len(term) >= TYPO_MIN_LENGTH:
                found = chain(found, index.near_misses(term))
            result &= mask_of(found, self.size)
        return result

    def _text_index(self):
        with self._lock:
            if self._text is None:
                self._text = TextIndex(self)
            return self._text


class TextIndex:
    """Each place's texts, accents and case gone, and the words of its name, commune and
    services for near misses.

    Texts are read as pieces, each with the places it belongs to: a service's label, a
    commune's name is tokenised once, however many places share it."""

    def __init__(self, directory):
        position = directory.position
        texts = {}  # piece of text → positions of its places
        typo_texts = {}
        places = Place.objects.published().values_list(
            "pk", "name", "short_description", "description", "structure_name"
        )
        for pk, name, short, description, structure in places:
            number = position.get(pk)
            if number is None:
                continue
            for piece in (name, short, description, structure):
                texts.setdefault(piece, []).append(number)
            typo_texts.setdefault(name, []).append(number)
        # Communes, services and types: their places are already in the directory's index.
        by_commune = {
            commune: numbers
            for (kind, commune), numbers in directory.sparse.items()
            if kind == "commune"
        }
        communes = dict(Commune.objects.filter(pk__in=by_commune).values_list("pk", "name"))
        former = FormerCommune.objects.filter(commune__in=by_commune)
        for commune, name in [*communes.items(), *former.values_list("commune_id", "name")]:
            texts.setdefault(name, []).extend(by_commune[commune])
        for commune, name in communes.items():
            typo_texts.setdefault(name, []).extend(by_commune[commune])
        for name in ("service", "type"):
            for option in directory.options[name]:
                numbers = list(positions_of(directory.masks.get((name, option.pk), 0)))
                for label in (option.label_fr, option.label_en):
                    texts.setdefault(label, []).extend(numbers)
                if name == "service":
                    typo_texts.setdefault(option.label_fr, []).extend(numbers)
        self.contained = Vocabulary(texts, str.split)
        self.typos = Vocabulary(typo_texts, WORD.findall, min_length=TYPO_MIN_LENGTH)

    def containing(self, term):
        """Positions of the places whose texts contain `term`.

        A term has no spaces, so it lies within one of the text's space-separated tokens: the
        scan reads each distinct token once, not each place's text."""
        return self.contained.postings(self.contained.holding(term))

    def near_misses(self, term):
        """Positions of the places with a word one slip away from `term`."""
        matches = process.extract(
            term,
            self.typos.tokens,
            scorer=fuzz.ratio,
            score_cutoff=TYPO_MIN_SCORE,
            limit=None,
        )
        return self.typos.postings(number for _, _, number in matches)


class Vocabulary:
    """The distinct tokens of the places' texts, each with the positions of its places (a
    position may come twice: bitmaps do not mind)."""

    def __init__(self, pieces, tokenize, min_length=1):
        places = {}
        for piece, numbers in pieces.items():
            for token in set(tokenize(strip_accents(piece))):
                if len(token) >= min_length:
                    places.setdefault(token, array("I")).extend(numbers)
        self.tokens = list(places)
        self.places = list(places.values())
        self.joined = "\n".join(self.tokens)
        self.starts = []
        offset = 0
        for token in self.tokens:
            self.starts.append(offset)
            offset += len(token) + 1

    def holding(self, term):
        """The numbers of the tokens that contain `term`: one scan of them all."""
        found = []
        start = 0
        while (at := self.joined.find(term, start)) != -1:
            number = bisect_right(self.starts, at) - 1
            found.append(number)
            if number + 1 == len(self.starts):
                break
            start = self.starts[number + 1]
        return found

    def postings(self, numbers):
        return chain.from_iterable(self.places[number] for number in numbers)


@dataclass
class Matches:
    """The places a search gives, in list order (nearest first for « near »), sliceable and
    counted like a queryset by Paginator."""

    index: DirectoryIndex
    mask: int
    distances: dict | None = None

    def count(self):
        return self.mask.bit_count()

    def __len__(self):
        return self.count()

    def unlocated(self):
        return (self.mask & ~self.index.masks.get(("located", True), 0)).bit_count()

    def numbers(self, start, stop):
        if self.distances is None:
            return list(islice(positions_of(self.mask), start, stop))
        ordered = sorted(positions_of(self.mask), key=lambda n: (self.distances[n], n))
        return ordered[start:stop]

    def __getitem__(self, window):
        """A slice of the places, as entries with their `pk` and `distance` (places.cards
        renders them, fetching only the places whose card is not cached)."""
        if not isinstance(window, slice) or window.step:
            raise TypeError("Matches take a slice without step")
        distances = self.distances or {}
        return [
            Entry(self.index.pks[number], distances.get(number))
            for number in self.numbers(window.start or 0, window.stop)
        ]


@dataclass(frozen=True)
class Entry:
    pk: int
    distance: float | None = None


_lock = threading.Lock()
_current = None


def current_index():
    """The index of the directory as it is now, built if the data changed since the last one."""
    global _current
    version = data_version()
    index = _current
    if index is None or index.version != version:
        with _lock:
            if _current is None or _current.version != version:
                _current = DirectoryIndex(version)
            index = _current
    return index
