from django.urls import path

from chancery.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("mine/", views.my_programmes, name="mine"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/report/", views.programme_report, name="report"),
    path("<int:pk>/people/", views.programme_people, name="people"),
    path("<int:pk>/report.<str:fmt>", views.programme_report_file, name="report_file"),
    path("<int:pk>/rules/", views.rule_add, name="rule_add"),
    path("<int:pk>/rules/<int:rule_pk>/", views.rule_edit, name="rule_edit"),
    path("<int:pk>/rules/<int:rule_pk>/retire/", views.rule_retire, name="rule_retire"),
    path("<int:pk>/editions/new/", views.edition_create, name="edition_create"),
    path("editions/<int:pk>/", views.edition_detail, name="edition"),
    path("editions/<int:pk>/enrol/", views.enrol, name="enrol"),
    path(
        "editions/<int:pk>/certificates/", views.edition_certificates, name="edition_certificates"
    ),
    path("editions/<int:pk>/pairing-draw/", views.pairing_draw, name="pairing_draw"),
    path(
        "editions/<int:pk>/pairing-draw/apply/", views.apply_pairing_draw, name="apply_pairing_draw"
    ),
    path("editions/<int:pk>/selection-draw/", views.selection_draw, name="selection_draw"),
    path(
        "editions/<int:pk>/selection-draw/apply/",
        views.apply_selection_draw,
        name="apply_selection_draw",
    ),
    path("editions/<int:pk>/apply/", views.apply_page, name="apply"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment"),
    path("enrolments/<int:pk>/state/", views.enrolment_state, name="enrolment_state"),
    path("enrolments/<int:pk>/place/", views.enrolment_place, name="enrolment_place"),
    path(
        "enrolments/<int:pk>/certificate/",
        views.enrolment_certificate,
        name="enrolment_certificate",
    ),
    path("enrolments/<int:pk>/report/", views.enrolment_report, name="enrolment_report"),
    path(
        "enrolments/<int:pk>/reports/<int:report_pk>/",
        views.enrolment_report_file,
        name="enrolment_report_file",
    ),
    path(
        "enrolments/<int:pk>/testimonial/",
        views.enrolment_testimonial,
        name="enrolment_testimonial",
    ),
    path("placements/<int:pk>/evaluate/", views.enrolment_evaluate, name="evaluate"),
]
