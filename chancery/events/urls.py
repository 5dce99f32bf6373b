from django.urls import path

from chancery.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("pupils/new/", views.register_pupil, name="register_pupil"),
    path("pupils/missing-consent/", views.pupils_missing_consent, name="pupils_missing_consent"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/<int:person_pk>/", views.tick, name="tick"),
    path("<int:pk>/attendance/import/", views.attendance_import, name="attendance_import"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/links/", views.link_add, name="link_add"),
    path("photos/<int:pk>/image", views.photo_image, name="photo_image"),
    path("photos/<int:pk>/edit/", views.photo_edit, name="photo_edit"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("links/<int:pk>/delete/", views.link_delete, name="link_delete"),
    path("attendances/<int:pk>/delete/", views.attendance_delete, name="attendance_delete"),
    path("editions/<int:pk>/public/", views.edition_public, name="edition_public"),
    path("editions/<int:pk>/calendar.ics", views.edition_feed, name="edition_feed"),
    path("editions/<int:pk>/report/", views.edition_report, name="edition_report"),
    path(
        "editions/<int:pk>/report.<str:fmt>", views.edition_report_file, name="edition_report_file"
    ),
    path("calendar/mine.ics", views.my_feed, name="my_feed"),
    path("calendar/<str:token>.ics", views.person_feed, name="person_feed"),
]
