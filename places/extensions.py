"""Where other apps add to a place's card and page without the directory knowing them.

An app registers, in its AppConfig.ready(), a template to include (given `place`) and what that
template needs fetched with the places (prefetch lookups), so that a list of cards stays a fixed
number of queries. A place's page is fetched `with_card_data()`: what cards fetch, it has.
The charter adds its line to cards and its section to pages this way. `head` adds to the <head>
of the pages of a place, a network and a communauté de communes (given `place`, `network` or
`epci`): the agenda announces their calendars there.

A communauté de communes' page takes sections the same way, each a template and a function
giving its context from the EPCI (in a fixed number of queries): coverage adds what its places
cover, the agenda its places' coming dates, printing the links to its booklet and report. A
commune's page takes sections so too (given `commune`), and the directory's results templates
(`search`, given the search's `page_query`): printing offers their booklet and sheet there.

The directory's home page takes sections the same way (`home`, given the `request` and the
`search`, a PlaceFilter; shown while the search has neither words nor criteria, inside the search
form, after its fields), and so does a search that found nothing (`empty_search`, under « Aucun
lieu ne correspond »). The functions in `unanswered` are called with the request and the search
each time a valid search finds nothing: such a page is never served from the cache, so each one is
seen. The needs app offers its « Je cherche… » buttons, records the unmet demand and offers the
alert this way.

A yes/no criterion of the directory's search may be answered by another app: `PlaceFilter` names
it and offers its checkbox, the app registers in `criteria`, under the filter's name, a function
giving the places it keeps (from a moment, « now », one per search). The agenda answers « un
évènement cette semaine » this way. A criterion no app answers keeps no place.
"""

from dataclasses import dataclass, field


@dataclass
class Slot:
    templates: list = field(default_factory=list)
    prefetches: list = field(default_factory=list)

    def add(self, template, *prefetches):
        if template not in self.templates:
            self.templates.append(template)
            self.prefetches.extend(prefetches)


card = Slot()
page = Slot()
head = Slot()
search = Slot()


@dataclass
class Sections:
    entries: list = field(default_factory=list)

    def add(self, template, context):
        if all(template != known for known, _context in self.entries):
            self.entries.append((template, context))

    def render(self, **kwargs):
        """Each section as (template, its context) for these arguments."""
        return [(template, context(**kwargs)) for template, context in self.entries]


epci_page = Sections()
commune_page = Sections()
home = Sections()
empty_search = Sections()

# functions(request, search) told of each valid search of the directory that found nothing
unanswered = []


# filter name → function(now) giving the places (a QuerySet of their pks, or a list) it keeps
criteria = {}
