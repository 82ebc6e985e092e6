"""One base for every refusal of a service, and one way for views to show it."""

from django.contrib import messages


class DomainError(Exception):
    """A service refused a change; the message is Swedish and meant for the user. Nothing was
    written: services validate before they write and run in one transaction."""


class RefusalsShown:
    """Runs a service call and tells the user how it went, the same way on every page:

        with refusals_shown(request, success="Sammanträdet är sparat.") as outcome:
            meeting = meeting_update(...)
        if outcome.refused:
            return render(...)  # the form again, with the message above it

    A DomainError becomes an error message and `refused`; any other exception passes on."""

    def __init__(self, request, success: str = ""):
        self.request = request
        self.success = success
        self.refused = False

    def __enter__(self) -> "RefusalsShown":
        return self

    def __exit__(self, exc_type, error, traceback) -> bool:
        if exc_type is None:
            if self.success:
                messages.success(self.request, self.success)
            return False
        if issubclass(exc_type, DomainError):
            messages.error(self.request, str(error))
            self.refused = True
            return True
        return False


refusals_shown = RefusalsShown
