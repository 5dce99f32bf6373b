from django.urls import path

from chancery.calls import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_create, name="manage_create"),
    path("manage/<int:pk>/", views.manage_call, name="manage"),
    path("manage/<int:pk>/questions/", views.manage_add_question, name="add_question"),
    path("manage/<int:pk>/documents/", views.manage_add_document, name="add_document"),
    path(
        "manage/<int:pk>/questions/<int:question_pk>/remove/",
        views.manage_remove_question,
        name="remove_question",
    ),
    path(
        "manage/<int:pk>/documents/<int:required_pk>/remove/",
        views.manage_remove_document,
        name="remove_document",
    ),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/upload/", views.application_upload, name="upload"),
    path("applications/<int:pk>/files/<int:upload_pk>/", views.application_file, name="file"),
    path("applications/<int:pk>/eligibility/", views.application_eligibility, name="eligibility"),
    path("applications/<int:pk>/referees/", views.application_referee, name="referees"),
    path(
        "applications/<int:pk>/letters/<int:referee_pk>/", views.application_letter, name="letter"
    ),
    path("referee/<str:token>/", views.referee_letter, name="referee"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/deadline.ics", views.call_ics, name="ics"),
    path("<slug:slug>/apply/", views.call_apply, name="apply"),
]
