from django.urls import path

from budget import views

app_name = "budget"

urlpatterns = [
    path("", views.budget_overview, name="overview"),
    path("ny/", views.budget_create, name="create"),
    path("las-in-tabell/", views.legacy_import, name="legacy_import"),
    path("kontoplan/", views.chart_edit, name="chart"),
    path("eget-kapital/", views.ceilings_edit, name="ceilings"),
    path("<int:pk>/", views.budget_detail, name="detail"),
    path("<int:pk>/poster/", views.lines_edit, name="lines"),
    path("<int:pk>/faststall/", views.version_adopt, name="adopt"),
    path("<int:pk>/revidera/", views.version_revise, name="revise"),
    path("<int:pk>/agarbidrag/", views.contributions_edit, name="contributions"),
    path("<int:pk>/utfall/", views.actuals_edit, name="actuals"),
    path("<int:pk>/utfall/inlasning/", views.actuals_import, name="import"),
    path("<int:pk>/utfall/inlasning/spara/", views.actuals_import_confirm, name="import_confirm"),
    path("<int:pk>/prognos/", views.forecast_edit, name="forecast"),
    path("<int:pk>/stang/", views.period_close, name="close"),
    path("<int:pk>/oppna/", views.period_reopen, name="reopen"),
    path("<int:pk>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/rapport.xlsx", views.report_xlsx, name="report_xlsx"),
]
