from django.urls import path

from chancery.directory import views

app_name = "directory"

urlpatterns = [
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/duplicates/", views.duplicates, name="duplicates"),
    path("people/choices/", views.person_choices, name="person_choices"),
    path("people/merge/<int:first>/<int:second>/", views.merge, name="merge"),
    path("people/consent-requests/", views.school_consent_requests, name="school_consent_requests"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("people/<int:pk>/history/", views.person_history, name="person_history"),
    path(
        "people/<int:pk>/personal-data.json",
        views.person_personal_data,
        name="person_personal_data",
    ),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
    path("people/<int:pk>/consents/", views.consent_add, name="consent_add"),
    path(
        "people/<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "people/<int:pk>/consent-requests/new/",
        views.consent_request_create,
        name="consent_request_create",
    ),
    path(
        "people/<int:pk>/consent-requests/<int:request_pk>/revoke/",
        views.consent_request_revoke,
        name="consent_request_revoke",
    ),
    path("consent/<str:token>/", views.consent_link, name="consent_link"),
    path("people/<int:pk>/affiliations/", views.affiliation_add, name="affiliation_add"),
    path(
        "people/<int:pk>/affiliations/<int:affiliation_pk>/delete/",
        views.affiliation_delete,
        name="affiliation_delete",
    ),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/choices/", views.organisation_choices, name="organisation_choices"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/history/", views.organisation_history, name="organisation_history"
    ),
]
