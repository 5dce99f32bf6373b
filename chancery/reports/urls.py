from django.urls import path

from chancery.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_people, name="import"),
    path("import/commit/", views.import_commit, name="import_commit"),
    path("export/<str:name>.<str:fmt>", views.export, name="export"),
]
