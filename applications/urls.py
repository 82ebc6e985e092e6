from django.urls import path

from applications.views import application, assessment, extract, meeting

app_name = "applications"

urlpatterns = [
    path("", application.application_list, name="list"),
    path("excel/", application.application_export, name="export_xlsx"),
    path("ny/", application.application_create, name="create"),
    path("<int:pk>/", application.application_detail, name="detail"),
    path("<int:pk>/andra/", application.application_edit, name="edit"),
    path("<int:pk>/registrera/", application.application_register, name="register"),
    path("<int:pk>/aterta/", application.application_withdraw, name="withdraw"),
    path("<int:pk>/beredning/", assessment.assessment_edit, name="assess"),
    path("<int:pk>/faststall/", assessment.assessment_finalise, name="finalise"),
    path("<int:pk>/pdf/", application.application_pdf, name="pdf"),
    path("sammantraden/", meeting.meeting_list, name="meetings"),
    path("sammantraden/nytt/", meeting.meeting_create, name="meeting_create"),
    path("sammantraden/<int:pk>/", meeting.meeting_detail, name="meeting"),
    path("sammantraden/<int:pk>/andra/", meeting.meeting_edit, name="meeting_edit"),
    path("sammantraden/<int:pk>/dagordning/", meeting.agenda_item_add, name="agenda_add"),
    path(
        "sammantraden/<int:pk>/dagordning/<int:item>/stryk/",
        meeting.agenda_item_remove,
        name="agenda_remove",
    ),
    path(
        "sammantraden/<int:pk>/dagordning/<int:item>/flytta/",
        meeting.agenda_item_move,
        name="agenda_move",
    ),
    path("sammantraden/<int:pk>/kallelse/", meeting.meeting_publish, name="publish"),
    path("sammantraden/<int:pk>/installt/", meeting.meeting_cancel, name="meeting_cancel"),
    path("sammantraden/<int:pk>/handlingar.pdf", meeting.meeting_pack_pdf, name="pack_pdf"),
    path("sammantraden/<int:pk>/narvaro/", meeting.attendance_edit, name="attendance"),
    path("sammantraden/<int:pk>/protokoll/", meeting.minutes_open, name="minutes_open"),
    path("sammantraden/<int:pk>/arende/<int:item>/beslut/", meeting.decision_edit, name="decision"),
    path(
        "sammantraden/<int:pk>/arende/<int:item>/utdrag.pdf",
        extract.minutes_extract_pdf,
        name="minutes_extract",
    ),
    path(
        "sammantraden/<int:pk>/arende/<int:item>/utdrag/skicka/",
        extract.minutes_extract_send,
        name="minutes_extract_send",
    ),
    path("sammantraden/<int:pk>/justera/", meeting.minutes_approve, name="approve"),
    path("sammantraden/<int:pk>/protokoll.pdf", meeting.minutes_pdf, name="minutes_pdf"),
]
