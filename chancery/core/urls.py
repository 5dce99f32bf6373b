from django.urls import path

from chancery.core import observability, views

urlpatterns = [
    # Readiness under its older name too: the image's HEALTHCHECK and load balancers probe it.
    path("healthz", views.readyz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
]
