from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("excel/", views.application_export, name="export_xlsx"),
    path("ny/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/andra/", views.application_edit, name="edit"),
    path("<int:pk>/registrera/", views.application_register, name="register"),
    path("<int:pk>/aterta/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/beredning/", views.assessment_edit, name="assess"),
    path("<int:pk>/faststall/", views.assessment_finalise, name="finalise"),
    path("<int:pk>/pdf/", views.application_pdf, name="pdf"),
]
