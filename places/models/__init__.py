from .base import Described, Labelled, in_active_language
from .catalogue import Audience, Family, PlaceType, Service
from .contribution import Contribution
from .networks import Membership, Network, NetworkTier
from .photo import Photo
from .place import Place, PreviousSlug, Room, Stop
from .territory import Commune, Epci, FormerCommune
from .version import DataVersion

__all__ = [
    "Audience",
    "Commune",
    "Contribution",
    "DataVersion",
    "Described",
    "Epci",
    "Family",
    "FormerCommune",
    "Labelled",
    "Membership",
    "Network",
    "NetworkTier",
    "Photo",
    "Place",
    "PlaceType",
    "PreviousSlug",
    "Room",
    "Service",
    "Stop",
    "in_active_language",
]
