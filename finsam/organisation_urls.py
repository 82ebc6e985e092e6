from django.urls import path

from finsam import views

app_name = "organisation"

urlpatterns = [
    path("", views.organisation_overview, name="overview"),
    path("forbundet/", views.association_edit, name="association_edit"),
    # Before "<slug:section>/<int:pk>/", which would read "medlem" as a section and answer 404.
    path("medlem/<int:pk>/", views.member_detail, name="member_detail"),
    path("<slug:section>/ny/", views.section_create, name="section_create"),
    path("<slug:section>/<int:pk>/", views.section_edit, name="section_edit"),
    path("<slug:section>/<int:pk>/ta-bort/", views.section_delete, name="section_delete"),
]
