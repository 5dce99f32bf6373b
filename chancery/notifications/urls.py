from django.urls import path

from chancery.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.outbox_retry, name="retry"),
    path("outbox/retry-failed/", views.outbox_retry_failed, name="retry_failed"),
    path("settings/", views.office_settings, name="settings"),
]
