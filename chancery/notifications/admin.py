from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chancery.notifications.models import Notification, NotificationSetting, OutgoingMail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "kind", "office", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("subject", "recipient__username")
    raw_id_fields = ("recipient", "office")


@admin.register(OutgoingMail)
class OutgoingMailAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "address", "kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("subject", "address")
    raw_id_fields = ("recipient", "office")
    readonly_fields = ("status", "attempts", "last_error", "next_attempt_at", "sent_at")


@admin.register(NotificationSetting)
class NotificationSettingAdmin(SimpleHistoryAdmin):
    list_display = ("office", "kind", "enabled")
    list_filter = ("kind", "enabled")
    raw_id_fields = ("office",)
