"""Text on the way in: every value of a request's query string and form, less its control
characters, before any view or form sees it (finsam.validators.without_control_characters).

One place for every form, filter and search of every app, so that no new form can forget it: a
vertical tab pasted from Word into a name, a member or a target group used to be stored, and
then made every workbook that names it fail for everyone. Uploaded files are not touched; the
imports clean what they read themselves.
"""

from django.http import QueryDict

from finsam.validators import has_control_characters, without_control_characters


def _cleaned(query: QueryDict) -> QueryDict:
    """The same values, less their control characters; the same object where there are none."""
    if not any(has_control_characters(value) for value in _values(query)):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(key, [without_control_characters(value) for value in values])
    cleaned._mutable = False
    return cleaned


def _values(query: QueryDict):
    for _key, values in query.lists():
        yield from values


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST":
            try:
                post = request.POST
            except OSError:
                # A body that cannot be read: CsrfViewMiddleware and the view answer for it.
                post = None
            if post is not None:
                request.POST = _cleaned(post)
        return self.get_response(request)
