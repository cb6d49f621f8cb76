from .booking import SLOT, BookedSlot, RoomRequest
from .closure import ClosedPeriod

__all__ = ["SLOT", "BookedSlot", "ClosedPeriod", "RoomRequest"]
