"""`/healthz`, for the load balancer: is this process up, and does it reach its database?"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils.log import log_response
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 "ok" when one trivial query answers, 503 when it does not; nothing else, to anyone.

    Touches no session and needs no login. An outage is logged once per check as a warning, not
    as Django's error for a 5xx answer: the balancer asks every few seconds, and the database's
    own errors are what someone should read."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        response = HttpResponse("unavailable", status=503, content_type="text/plain")
        log_response(
            "Health check: database unavailable (%s)",
            type(error).__name__,
            response=response,
            request=request,
            logger=logger,
            level="warning",
        )
        return response
    return HttpResponse("ok", content_type="text/plain")
