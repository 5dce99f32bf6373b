from django.urls import path

from chancery.mun import views

app_name = "mun"

urlpatterns = [
    path("", views.conference_list, name="conferences"),
    path("new/", views.conference_create, name="conference_create"),
    path("<int:pk>/", views.conference_detail, name="conference"),
    path("<int:pk>/delegations/", views.create_delegations, name="create_delegations"),
    path("<int:pk>/committees/", views.add_committee, name="add_committee"),
    path("<int:pk>/certificates.pdf", views.certificates, name="certificates"),
    path("committees/<int:pk>/officers/", views.add_officer, name="add_officer"),
    path("committees/<int:pk>/sessions/", views.open_session, name="open_session"),
    path("committees/<int:pk>/placards.pdf", views.placards, name="placards"),
    path("sessions/<int:pk>/", views.console, name="console"),
    path("sessions/<int:pk>/live/", views.console_live, name="console_live"),
    path("sessions/<int:pk>/drafts/", views.add_draft, name="add_draft"),
    path("sessions/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("sessions/<int:pk>/minutes.<str:fmt>", views.minutes_file, name="minutes_file"),
    path("sessions/<int:pk>/<slug:action>/", views.act, name="act"),
    path("screen/<str:token>/", views.projector, name="projector"),
    path("screen/<str:token>/live/", views.projector_live, name="projector_live"),
    path("screen/<str:token>/events/", views.projector_events, name="projector_events"),
]
