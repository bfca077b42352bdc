"""HTTP for messages: ``public`` (links in messages, no sign-in), ``staff`` (senders'
pages), ``dev`` (the development mailbox)."""

# The one "link not valid" answer, which surveys' token pages give too.
from .public import link_refused

__all__ = ["link_refused"]
