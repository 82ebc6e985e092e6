from django.shortcuts import render
from django.views.decorators.http import require_GET

from budget.selectors import budget_figures_by_period
from finsam.tenancy import AUDITOR, BOARD, OFFICER, role_required


@require_GET
@role_required(OFFICER, BOARD, AUDITOR)
def budget_overview(request):
    """Every budget period of the förbund, newest first, with its computed rows in tkr."""
    figures = budget_figures_by_period(request.association)
    periods = sorted(
        figures.values(), key=lambda figure: figure.version.budget.period_start, reverse=True
    )
    return render(request, "budget/overview.html", {"periods": periods})
