"""One base for every refusal of a service, and one way for views to show it."""

from django.contrib import messages


class DomainError(Exception):
    """A service refused a change; the message is Swedish and meant for the user. Nothing was
    written: services validate before they write and run in one transaction."""


class ChangedMeanwhile(DomainError):
    """Someone else saved what the user's form shows after the user opened it (a lost update
    prevented; finsam/concurrency.py). Nothing was written; the view shows the page again with
    what is saved now (``RefusalsShown.changed_meanwhile``)."""

    MESSAGE = (
        "Någon annan har ändrat {what} sedan du öppnade sidan. Dina ändringar är inte sparade; "
        "sidan visar nu det senaste."
    )

    def __init__(self, what: str):
        super().__init__(self.MESSAGE.format(what=what))


class RefusalsShown:
    """Runs a service call and tells the user how it went, the same way on every page:

        with refusals_shown(request, success="Sammanträdet är sparat.") as outcome:
            meeting = meeting_update(...)
        if outcome.refused:
            return render(...)  # the form again, with the message above it

    A DomainError becomes an error message and `refused`; any other exception passes on.
    After a ChangedMeanwhile `changed_meanwhile` is true too: the view then sends the user back
    to the page (a GET), which shows what is saved now instead of the refused form."""

    def __init__(self, request, success: str = ""):
        self.request = request
        self.success = success
        self.refused = False
        self.changed_meanwhile = False

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
            self.changed_meanwhile = isinstance(error, ChangedMeanwhile)
            return True
        return False


refusals_shown = RefusalsShown
