from django.urls import path

from chancery.allocation import views

app_name = "allocation"

urlpatterns = [
    path("editions/<int:pk>/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/hosts/", views.host_add, name="host_add"),
    path("rounds/<int:pk>/hosts/<int:host_pk>/", views.host_capacity, name="host_capacity"),
    path("rounds/<int:pk>/tie-break/", views.round_tie_break, name="tie_break"),
    path("rounds/<int:pk>/run/", views.round_run, name="run"),
    path("rounds/<int:pk>/commit/", views.round_commit, name="commit"),
    path("rounds/<int:pk>/rollback/", views.round_rollback, name="rollback"),
    path("rounds/<int:pk>/import/", views.round_import, name="import"),
    path("rounds/<int:pk>/my-choices/", views.my_choices, name="my_choices"),
    path("rounds/<int:pk>/explanations/<int:enrolment_pk>/", views.explanation, name="explanation"),
    path("schools/", views.school_rounds, name="school_rounds"),
    path(
        "rounds/<int:pk>/schools/<int:school_pk>/choices/",
        views.school_choices,
        name="school_choices",
    ),
    path(
        "rounds/<int:pk>/schools/<int:school_pk>/explanation/",
        views.school_explanation,
        name="school_explanation",
    ),
]
