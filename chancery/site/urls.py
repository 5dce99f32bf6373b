from django.urls import path

from chancery.site import styleguide, views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/file", views.job_file, name="job_file"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="job_retry"),
    path("styleguide/", styleguide.styleguide, name="styleguide"),
]
