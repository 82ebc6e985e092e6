from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from budget import exports
from budget.selectors import budget_figures_by_period
from finsam.tenancy import AUDITOR, BOARD, OFFICER, role_required


def _periods(association):
    figures = budget_figures_by_period(association)
    return sorted(
        figures.values(), key=lambda figure: figure.version.budget.period_start, reverse=True
    )


@require_GET
@role_required(OFFICER, BOARD, AUDITOR)
def budget_export_xlsx(request):
    response = HttpResponse(
        exports.budget_xlsx(_periods(request.association)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"budget-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required(OFFICER, BOARD, AUDITOR)
def budget_overview(request):
    """Every budget period of the förbund, newest first, with its computed rows in tkr."""
    return render(request, "budget/overview.html", {"periods": _periods(request.association)})
