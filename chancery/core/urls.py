from django.urls import path

from chancery.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
]
