from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chancery.draws.models import Draw


@admin.register(Draw)
class DrawAdmin(SimpleHistoryAdmin):
    """Read only: draws change through their lifecycle, never by hand."""

    list_display = ["title", "kind", "status", "owner", "announced_at", "conducted_at"]
    list_filter = ["kind", "status"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
