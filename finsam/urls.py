import os

from django.contrib import admin
from django.urls import include, path

from finsam import health, pages, views

admin.site.site_header = "Finsam – administration"
admin.site.site_title = "Finsam"

urlpatterns = [
    path("", views.start, name="start"),
    path("forbund/byt/", views.association_switch, name="association_switch"),
    path("organisation/", include("finsam.organisation_urls")),
    path("ansokningar/", include("applications.urls")),
    path("budget/", include("budget.urls")),
    path("insatser/", include("followup.urls")),
    path("konto/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("tillganglighet/", pages.accessibility_statement, name="accessibility_statement"),
    path("healthz", health.healthz, name="healthz"),
]

# The benchmark's baseline view (bench/views.py, `make bench`): only when the benchmark serves.
if os.environ.get("FINSAM_BENCH") == "1":
    from bench.views import baseline

    urlpatterns.append(path("bench/baseline/", baseline, name="bench_baseline"))
