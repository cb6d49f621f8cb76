"""Events of the places, of the stops of itinerant places, and of networks."""

from .dates import EventChange, Occurrence
from .event import ICAL_STATUS, Event
from .feed import CalendarFeed
from .registration import Registration

__all__ = ["ICAL_STATUS", "CalendarFeed", "Event", "EventChange", "Occurrence", "Registration"]
