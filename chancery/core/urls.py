from django.urls import path
from django.views.i18n import set_language

from chancery.core import views
from chancery.core.access import public

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
]
