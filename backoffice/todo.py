"""What other apps add to the back-office home's to-do list, without the back-office knowing them.

An app registers, in its AppConfig.ready(), a function of the request giving one line to show,
`(text, url)`, or None when there is nothing to do; it counts in one query, within what the
user may see. The rooms tell each animateur of the requests of their rooms waiting for an answer
this way.
"""

# functions(request) → (text, url) or None
entries = []


def add(entry):
    if entry not in entries:
        entries.append(entry)


def lines(request):
    """The lines of the to-do list for this request's user."""
    return [line for line in (entry(request) for entry in entries) if line]
