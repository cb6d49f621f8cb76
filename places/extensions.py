"""Where other apps add to a place's card and page without the directory knowing them.

An app registers, in its AppConfig.ready(), a template to include (given `place`) and what that
template needs fetched with the places (prefetch lookups), so that a list of cards stays a fixed
number of queries. A place's page is fetched `with_card_data()`: what cards fetch, it has.
The charter adds its line to cards and its section to pages this way. `head` adds to the <head>
of the pages of a place, a network and a communauté de communes (given `place`, `network` or
`epci`): the agenda announces their calendars there.

A communauté de communes' page takes sections the same way, each a template and a function
giving its context from the EPCI (in a fixed number of queries): coverage adds what its places
cover.

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


# filter name → function(now) giving the places (a QuerySet of their pks, or a list) it keeps
criteria = {}
