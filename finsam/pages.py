"""Pages anyone may read, logged in or not."""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

# When the statement was last reviewed against the site (the law asks for the date); change it
# whenever the statement's text changes.
STATEMENT_DATE = datetime.date(2026, 12, 4)


@require_safe
def accessibility_statement(request):
    """Tillgänglighetsredogörelsen: lagen (2018:1937) om tillgänglighet till digital offentlig
    service, in the structure of Digg's model statement."""
    return render(
        request,
        "finsam/accessibility_statement.html",
        {
            "owner": settings.FINSAM_ACCESSIBILITY_OWNER,
            "contact": settings.FINSAM_ACCESSIBILITY_CONTACT,
            "statement_date": STATEMENT_DATE,
        },
    )
