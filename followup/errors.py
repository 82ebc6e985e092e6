"""The refusals of the follow-up; views show them all the same way (finsam.errors)."""

from finsam.errors import DomainError


class FollowupError(DomainError):
    """A change to the participant register, the anonymous counts or an insats's end that the
    rules refuse."""
