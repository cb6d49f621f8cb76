"""Names as people type them: without accents, in any case, with a slip of the fingers."""

import unicodedata


def strip_accents(text):
    """« Saint-Chély » → « saint-chely »: the form both databases compare."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def sqlite_unaccent(value):
    return None if value is None else strip_accents(value)


def one_slip_apart(first, second):
    """Whether two words differ by one slip of the fingers: a letter dropped, added or changed,
    or two letters side by side swapped (« démarhce » and « démarche »)."""
    if first == second or abs(len(first) - len(second)) > 1:
        return False
    start = 0
    while start < min(len(first), len(second)) and first[start] == second[start]:
        start += 1
    first, second = first[start:], second[start:]
    end = 0
    while end < min(len(first), len(second)) and first[-1 - end] == second[-1 - end]:
        end += 1
    first, second = first[: len(first) - end], second[: len(second) - end]
    return (len(first) <= 1 and len(second) <= 1) or (len(first) == 2 and first == second[::-1])
