from django.urls import path

from chancery.core import observability, views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    # Readiness under its older name too: the image's HEALTHCHECK and load balancers probe it.
    path("healthz", views.readyz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("readyz", views.readyz, name="readyz"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/file", views.job_file, name="job_file"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="job_retry"),
    path("metrics", observability.metrics, name="metrics"),
]
