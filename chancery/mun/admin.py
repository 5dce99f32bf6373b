from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chancery.mun.models import (
    AgendaItem,
    Committee,
    Conference,
    Delegation,
    DraftResolution,
    Officer,
    RuleProfile,
    Seat,
)


@admin.register(RuleProfile)
class RuleProfileAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key", "preset", "veto", "default_speaking_time"]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0
    raw_id_fields = ["person"]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ["delegation", "status", "veto"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "conference", "profile"]
    inlines = [AgendaInline, OfficerInline, SeatInline]


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "date", "edition", "goal"]


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin):
    list_display = ["country", "conference", "school"]


@admin.register(DraftResolution)
class DraftResolutionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "committee", "status"]
