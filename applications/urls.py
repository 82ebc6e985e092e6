from django.urls import path

from applications import meeting_views, views

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
    path("sammantraden/", meeting_views.meeting_list, name="meetings"),
    path("sammantraden/nytt/", meeting_views.meeting_create, name="meeting_create"),
    path("sammantraden/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("sammantraden/<int:pk>/andra/", meeting_views.meeting_edit, name="meeting_edit"),
    path("sammantraden/<int:pk>/dagordning/", meeting_views.agenda_item_add, name="agenda_add"),
    path(
        "sammantraden/<int:pk>/dagordning/<int:item>/stryk/",
        meeting_views.agenda_item_remove,
        name="agenda_remove",
    ),
    path("sammantraden/<int:pk>/kallelse/", meeting_views.meeting_publish, name="publish"),
    path("sammantraden/<int:pk>/handlingar.pdf", meeting_views.meeting_pack_pdf, name="pack_pdf"),
    path("sammantraden/<int:pk>/narvaro/", meeting_views.attendance_edit, name="attendance"),
    path("sammantraden/<int:pk>/protokoll/", meeting_views.minutes_open, name="minutes_open"),
    path(
        "sammantraden/<int:pk>/arende/<int:item>/beslut/",
        meeting_views.decision_edit,
        name="decision",
    ),
    path("sammantraden/<int:pk>/justera/", meeting_views.minutes_approve, name="approve"),
    path("sammantraden/<int:pk>/protokoll.pdf", meeting_views.minutes_pdf, name="minutes_pdf"),
]
