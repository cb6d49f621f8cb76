"""The unmet demand read for people: the needs most often unanswered in an area, month by month.

What visitors typed is shown only once several searches asked it (MIN_SHOWN over the period):
a name someone typed once never reaches a page or a file. The criteria are named by the
catalogue's labels. Each reading is a fixed number of queries, whatever the number of rows.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy

from places.filters.facets import RELATED_FACETS
from places.models import Network

from .models import UnmetSearch

MIN_SHOWN = 3
MONTHS = 6
TOP = 20
# The directory's own labels of its yes/no criteria.
TOGGLE_LABELS = {
    "accessible": gettext_lazy("Accessible aux personnes à mobilité réduite"),
    "open_now": gettext_lazy("Ouvert maintenant"),
}


def catalogue_labels():
    """Each criterion's options, code → label, in the active language (five queries)."""
    models = {name: model for name, (_field, model) in RELATED_FACETS.items()}
    models["network"] = Network
    return {
        name: {option.code: option.label for option in model.objects.all()}
        for name, model in models.items()
    }


def criteria_labels(data, labels=None):
    """A search's criteria named for people (« Salle de réunion », « Ouvert maintenant »)."""
    labels = catalogue_labels() if labels is None else labels
    named = []
    for key in data:
        for value in data.getlist(key):
            if key in labels:
                named.append(labels[key].get(value, value))
            elif key in TOGGLE_LABELS:
                named.append(str(TOGGLE_LABELS[key]))
    return named


def months_back(count=MONTHS, today=None):
    """The first day of the last `count` months, the current one last."""
    today = today or timezone.localdate()
    firsts = []
    year, month = today.year, today.month
    for _index in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


@dataclass
class Need:
    words: str
    criteria: str
    total: int
    labels: list
    by_month: list = field(default_factory=list)

    @property
    def name(self):
        parts = [f"«\u00a0{self.words}\u00a0»"] if self.words else []  # kept on one line
        return ", ".join(parts + self.labels)

    @property
    def search_query(self):
        """The same search in the directory, to see what it finds today."""
        query = QueryDict(self.criteria, mutable=True)
        if self.words:
            query["q"] = self.words
        return query.urlencode()


def searches(communes=None, months=None):
    """The unmet searches of the period (`months`, first days), in `communes` (INSEE codes) or
    everywhere."""
    months = months or months_back()
    rows = UnmetSearch.objects.filter(day__gte=months[0])
    if communes is not None:
        rows = rows.filter(commune_insee__in=communes)
    return rows


def top_needs(communes=None, months=None, limit=TOP):
    """The needs most often unanswered in the period, each with its count month by month."""
    months = months or months_back()
    rows = searches(communes, months)
    top = list(
        rows.values("words", "criteria")
        .annotate(total=Sum("count"))
        .filter(total__gte=MIN_SHOWN)
        .order_by("-total", "words", "criteria")[:limit]
    )
    if not top:
        return []
    which = Q()
    for row in top:
        which |= Q(words=row["words"], criteria=row["criteria"])
    monthly = {
        (row["words"], row["criteria"], _as_date(row["month"])): row["n"]
        for row in rows.filter(which)
        .annotate(month=TruncMonth("day"))
        .values("words", "criteria", "month")
        .annotate(n=Sum("count"))
        .order_by()
    }
    labels = catalogue_labels()
    needs = []
    for row in top:
        need = Need(
            row["words"],
            row["criteria"],
            row["total"],
            criteria_labels(QueryDict(row["criteria"]), labels),
        )
        need.by_month = [monthly.get((row["words"], row["criteria"], first), 0) for first in months]
        needs.append(need)
    return needs


def _as_date(moment):
    """TruncMonth gives a date, or a datetime on some databases: the month's first day."""
    return moment.date() if hasattr(moment, "date") and callable(moment.date) else moment


def by_commune(communes=None, months=None, limit=TOP):
    """The communes whose searches most often found nothing, with how many (needs shown
    above MIN_SHOWN only), as (INSEE code, count)."""
    rows = searches(communes, months).exclude(commune_insee="")
    return [
        (row["commune_insee"], row["total"])
        for row in rows.values("commune_insee")
        .annotate(total=Sum("count"))
        .filter(total__gte=MIN_SHOWN)
        .order_by("-total", "commune_insee")[:limit]
    ]
