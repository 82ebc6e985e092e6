"""The refusals of the applications app; views show them all the same way (finsam.errors)."""

from finsam.errors import DomainError


class ApplicationError(DomainError):
    """A change to an application or its assessment that the rules refuse."""


class MeetingError(DomainError):
    """A change to a meeting, its agenda, attendance, decisions or minutes that the rules
    refuse."""


class ShortNotice(MeetingError):
    """Publishing with less notice than the förbund's rule: the officer must confirm."""
