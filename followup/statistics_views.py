"""The statistics pages (#10 § 5) and the yearly return (§ 6): aggregates only, small counts
suppressed. The officer, the board and the auditors read them (the register stays the
officer's and the lead's); another förbund's insats is not found."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from finsam.downloads import PDF, XLSX, file_download
from finsam.forms import valid_filters
from finsam.tenancy import role_required
from followup import access, charts, returns, statistics
from followup.statistics_forms import StatisticsPeriodForm
from followup.suppression import TABLE_NOTE

READERS = access.READERS


def _year(request) -> int:
    form = StatisticsPeriodForm(request.GET or None)
    return valid_filters(form).get("year") or timezone.localdate().year


def _period(request):
    form = StatisticsPeriodForm(request.GET or None)
    return form, form.period(timezone.localdate())


@require_GET
@role_required(*READERS)
def association_statistics(request):
    form, period = _period(request)
    stats = statistics.statistics_for(association=request.association, period=period)
    return render(
        request,
        "followup/statistics/association.html",
        {
            "form": form,
            "period": period,
            "stats": stats,
            "statistics": stats.total,
            "charts": charts.charts_for(stats.total),
            "suppression_note": TABLE_NOTE,
            "return_year": period.end.year,
        },
    )


@require_GET
@role_required(*READERS)
def initiative_statistics(request, pk):
    initiative, _permissions = access.get_initiative_for_user(request, pk)
    form, period = _period(request)
    stats = statistics.statistics_for(
        association=request.association, period=period, initiative=initiative
    )
    return render(
        request,
        "followup/statistics/initiative.html",
        {
            "form": form,
            "period": period,
            "initiative": initiative,
            "stats": stats,
            "statistics": stats.total,
            "charts": charts.charts_for(stats.total),
            "suppression_note": TABLE_NOTE,
        },
    )


@require_GET
@role_required(*READERS)
def yearly_return(request):
    year = _year(request)
    data = returns.yearly_return(association=request.association, year=year)
    return render(
        request,
        "followup/statistics/return.html",
        {"data": data, "explanation": returns.EXPLANATION, "suppression_note": TABLE_NOTE},
    )


@require_GET
@role_required(*READERS)
def yearly_return_xlsx(request):
    year = _year(request)
    data = returns.yearly_return(association=request.association, year=year)
    return file_download(
        returns.return_xlsx(data), returns.filename(request.association, year, "xlsx"), XLSX
    )


@require_GET
@role_required(*READERS)
def yearly_return_csv(request):
    year = _year(request)
    data = returns.yearly_return(association=request.association, year=year)
    response = HttpResponse(returns.return_csv(data), content_type="text/csv; charset=utf-8")
    name = returns.filename(request.association, year, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@role_required(*READERS)
def yearly_return_pdf(request):
    year = _year(request)
    data = returns.yearly_return(association=request.association, year=year)
    return file_download(
        returns.return_pdf(data),
        returns.filename(request.association, year, "pdf"),
        PDF,
        inline=True,
    )
