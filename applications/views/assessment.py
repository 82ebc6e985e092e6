"""Pages of the beredning: the preparer writes the assessment; the officer makes it final."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from applications import access, selectors, services
from applications.forms import AssessmentForm
from applications.models import Assessment
from applications.services.assessment import ASSESSMENT_NOT_OPEN
from applications.views.application import application_action
from finsam.concurrency import carried, posted
from finsam.errors import refusals_shown
from finsam.tenancy import OFFICER, PREPARER, role_required


@require_POST
@role_required(OFFICER)
def assessment_finalise(request, pk):
    return application_action(
        request,
        pk,
        lambda application: services.assessment_finalise(
            user=request.user, application=application
        ),
        "Rekommendationen är fastställd. Ansökan är beredd och kan tas upp i styrelsen.",
    )


@require_http_methods(["GET", "POST"])
@role_required(PREPARER)
def assessment_edit(request, pk):
    application, permissions = access.get_application_for_user(request, pk)
    if not permissions.can_assess:
        if request.method == "POST":
            # Made final (or withdrawn) while the preparer wrote: say so, not a bare 403.
            messages.error(request, ASSESSMENT_NOT_OPEN)
            return redirect(application)
        raise PermissionDenied
    current = selectors.current_assessment(application)
    open_round = current if current and not current.is_final else None
    form = AssessmentForm(
        request.POST or None, instance=open_round or Assessment(), years=application.years
    )
    fingerprint = carried(request, services.assessment_fingerprint(open_round, form.shown_amounts))
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success="Beredningen är sparad.") as outcome:
            services.assessment_save(
                user=request.user,
                application=application,
                values=form.values(),
                amounts=form.amounts(),
                assessment_id=open_round.pk if open_round else None,
                fingerprint=posted(request),
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect(application)
    return render(
        request,
        "applications/assessment_form.html",
        {"application": application, "form": form, "fingerprint": fingerprint},
    )
