"""Text as the directory compares it: words without accents or case, plurals folded, the little
words of French and English left out.

Each place stores its words once (`Place.search_text`, kept current by places.signals); a search
is a few `LIKE` conditions on that column, which PostgreSQL answers from a trigram index and
SQLite by a scan. Near misses (« marvjols ») are looked up among the directory's distinct words
(`SearchWord`) by trigram similarity: pg_trgm's `similarity()` on PostgreSQL, the same function
written in Python for SQLite, so both give the same answers.
"""

import re
import unicodedata
from pathlib import Path

from territory.text import strip_accents

# Words that say nothing about what is looked for (grammar words, the directory's own generic
# words): kept as data beside this module.
STOP_WORDS = frozenset(
    word
    for line in (Path(__file__).parent / "stop_words.txt").read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for word in line.split()
)
MAX_TERMS = 8
PREFIX_MIN_LENGTH = 4  # « caf » is a word of its own (the CAF), not the start of « café »


WORD = re.compile(r"[^\W_]+")


def stem(word):
    """Plurals folded: « bureaux » and « bureau », « démarches » and « démarche » are one word."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def tokens(text):
    """Each word of a text as written and as the directory stores and compares it (without
    accents or case, plural folded), in order."""
    written = WORD.findall(unicodedata.normalize("NFC", text or ""))
    return [(word, stem(strip_accents(word))) for word in written]


def words(text):
    """The words of a text as the directory stores and compares them, in order."""
    return [compared for _written, compared in tokens(text)]


def is_stop_word(word):
    return word in STOP_WORDS or stem(word) in STOP_WORDS


def stored(*texts):
    """A place's searchable text: its distinct words between spaces, so that « ␣mot » matches a
    word's start and « ␣mot␣ » a whole word, in SQL."""
    seen = dict.fromkeys(word for text in texts for word in words(text))
    return f" {' '.join(seen)} " if seen else ""


def terms(text):
    """What a search looks for: its words but the little ones, at most eight, each once, as
    compared → as typed."""
    found = {}
    for written, compared in tokens(text):
        if not is_stop_word(strip_accents(written)):
            found.setdefault(compared, written)
    return dict(list(found.items())[:MAX_TERMS])


def is_prefix(term):
    """Whether a term also finds the words it starts (« visio » finds « visioconférence »), or
    only itself, when short (« caf » does not find « café »)."""
    return len(term) >= PREFIX_MIN_LENGTH


def matches(term, word):
    return word == term or (is_prefix(term) and word.startswith(term))


def pattern(term):
    """What a stored text contains when it holds a word the term finds."""
    return f" {term}" if is_prefix(term) else f" {term} "


def trigrams(text):
    """pg_trgm's trigrams: each word lower-cased, with two spaces before it and one after."""
    grams = set()
    for word in WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(first, second):
    """pg_trgm's similarity(): shared trigrams over all the trigrams of both."""
    if first is None or second is None:
        return None
    ours, theirs = trigrams(first), trigrams(second)
    if not ours or not theirs:
        return 0.0
    shared = len(ours & theirs)
    return shared / (len(ours) + len(theirs) - shared)


def register_sqlite_similarity(sender, connection, **kwargs):
    """Give SQLite the similarity() function of PostgreSQL's pg_trgm."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("similarity", 2, similarity, deterministic=True)
