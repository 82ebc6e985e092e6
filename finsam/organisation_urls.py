from django.urls import path

from finsam import views

app_name = "organisation"

urlpatterns = [
    path("", views.organisation_overview, name="overview"),
    path("forbundet/", views.association_edit, name="association_edit"),
    path("<slug:part>/ny/", views.part_create, name="part_create"),
    path("<slug:part>/<int:pk>/", views.part_edit, name="part_edit"),
    path("<slug:part>/<int:pk>/ta-bort/", views.part_delete, name="part_delete"),
]
