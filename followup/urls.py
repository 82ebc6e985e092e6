from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("excel/", views.initiative_export, name="export_xlsx"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/avsluta/", views.initiative_end, name="end"),
    path("<int:pk>/deltagare/", views.register, name="register"),
    path("<int:pk>/deltagare/ny/", views.participant_add, name="participant_add"),
    path(
        "<int:pk>/deltagare/<int:participant>/avsluta/",
        views.participant_end,
        name="participant_end",
    ),
    path("<int:pk>/deltagare/mall.xlsx", views.register_template, name="register_template"),
    path("<int:pk>/deltagare/las-in/", views.register_import, name="register_import"),
    path(
        "<int:pk>/deltagare/las-in/spara/",
        views.register_import_confirm,
        name="register_import_confirm",
    ),
    path("<int:pk>/anonyma/", views.anonymous_counts, name="anonymous_counts"),
    # The insatsansvarig and the reports due (#10, sections 3 and 4)
    path("<int:pk>/insatsansvariga/", views.lead_add, name="lead_add"),
    path("<int:pk>/rapporter/<int:report>/ta-emot/", views.report_upload, name="report_upload"),
    path("<int:pk>/rapporter/<int:report>/fil/", views.report_file, name="report_file"),
    path("<int:pk>/rapporter/<int:report>/dagordning/", views.report_agenda, name="report_agenda"),
]

# The statistics and the yearly return (#10, sections 5 and 6): their own module, so that the
# two sets of routes are kept apart.
from followup import statistics_urls  # noqa: E402

urlpatterns += statistics_urls.urlpatterns
