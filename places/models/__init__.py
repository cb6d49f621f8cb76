from .base import Described, Labelled, WithSynonyms, in_active_language
from .catalogue import Audience, Family, PlaceType, Service
from .consent import AnimateurConsent
from .networks import Membership, Network, NetworkTier
from .photo import Photo
from .place import Place, PreviousSlug
from .room import Room
from .search import SearchWord
from .stop import Stop

__all__ = [
    "AnimateurConsent",
    "Audience",
    "Described",
    "Family",
    "Labelled",
    "Membership",
    "Network",
    "NetworkTier",
    "Photo",
    "Place",
    "PlaceType",
    "PreviousSlug",
    "Room",
    "SearchWord",
    "Service",
    "Stop",
    "WithSynonyms",
    "in_active_language",
]
