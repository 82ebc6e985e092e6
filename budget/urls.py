from django.urls import path

from budget import views

app_name = "budget"

urlpatterns = [
    path("", views.budget_overview, name="overview"),
    path("excel/", views.budget_export_xlsx, name="export_xlsx"),
]
