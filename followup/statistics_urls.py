"""The statistics pages and the yearly return (#10 §§ 5–6), included in followup/urls.py under
the app's namespace. The year of the return is a query parameter (?year=2025), as on the
insatser list; without it, this year."""

from django.urls import path

from followup import statistics_views

urlpatterns = [
    path("statistik/", statistics_views.association_statistics, name="statistics"),
    path(
        "<int:pk>/statistik/", statistics_views.initiative_statistics, name="initiative_statistics"
    ),
    path("uppfoljning/", statistics_views.yearly_return, name="yearly_return"),
    path(
        "uppfoljning/uppfoljning.xlsx",
        statistics_views.yearly_return_xlsx,
        name="yearly_return_xlsx",
    ),
    path(
        "uppfoljning/uppfoljning.csv",
        statistics_views.yearly_return_csv,
        name="yearly_return_csv",
    ),
    path(
        "uppfoljning/uppfoljning.pdf",
        statistics_views.yearly_return_pdf,
        name="yearly_return_pdf",
    ),
]
