from django.urls import path

from chancery.selection import views

app_name = "selection"

urlpatterns = [
    path("", views.index, name="index"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/files/<int:upload_pk>/", views.review_file, name="review_file"),
    path("reviews/<int:pk>/letters/<int:referee_pk>/", views.review_letter, name="review_letter"),
    path("editions/<int:edition_pk>/", views.setup, name="setup"),
    path("editions/<int:edition_pk>/ranking/", views.ranking, name="ranking"),
    path("editions/<int:edition_pk>/decide/", views.decide, name="decide"),
    path(
        "editions/<int:edition_pk>/interviews/<int:candidacy_pk>/",
        views.interview,
        name="interview",
    ),
]
