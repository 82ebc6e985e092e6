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
]
