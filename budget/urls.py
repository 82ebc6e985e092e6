from django.urls import path

from budget import plan_views, views

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
    # The verksamhetsplan med budget (budget/plan_*.py).
    path("verksamhetsplan/", plan_views.plan_list, name="plans"),
    path("verksamhetsplan/ny/", plan_views.plan_create, name="plan_create"),
    path("verksamhetsplan/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("verksamhetsplan/<int:pk>/plan.pdf", plan_views.plan_pdf, name="plan_pdf"),
    path("verksamhetsplan/<int:pk>/uppgifter/", plan_views.plan_edit, name="plan_edit"),
    path(
        "verksamhetsplan/<int:pk>/avsnitt/ny/", plan_views.plan_section_add, name="plan_section_add"
    ),
    path(
        "verksamhetsplan/<int:pk>/avsnitt/<int:section>/",
        plan_views.plan_section_edit,
        name="plan_section",
    ),
    path(
        "verksamhetsplan/<int:pk>/avsnitt/<int:section>/flytta/",
        plan_views.plan_section_move,
        name="plan_section_move",
    ),
    path(
        "verksamhetsplan/<int:pk>/avsnitt/<int:section>/ta-bort/",
        plan_views.plan_section_remove,
        name="plan_section_remove",
    ),
    path("verksamhetsplan/<int:pk>/dagordning/", plan_views.plan_schedule, name="plan_schedule"),
    path("verksamhetsplan/<int:pk>/anta/", plan_views.plan_adopt, name="plan_adopt"),
    path("verksamhetsplan/<int:pk>/revidera/", plan_views.plan_revise, name="plan_revise"),
]
