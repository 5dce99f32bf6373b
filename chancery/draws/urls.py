from django.urls import path

from chancery.draws import views

app_name = "draws"

urlpatterns = [
    path("", views.draw_list, name="list"),
    path("new/", views.draw_create, name="create"),
    path("verify/", views.verify, name="verify"),
    path("lottery.py", views.verifier_script, name="verifier"),
    path("<int:pk>/", views.draw_detail, name="detail"),
    path("<int:pk>/record.json", views.draw_record, name="record"),
    path("<int:pk>/edit/", views.draw_edit, name="edit"),
    path("<int:pk>/delete/", views.draw_delete, name="delete"),
    path("<int:pk>/announce/", views.draw_announce, name="announce"),
    path("<int:pk>/conduct/", views.draw_conduct, name="conduct"),
    path("<int:pk>/redraw/", views.draw_redraw, name="redraw"),
]
