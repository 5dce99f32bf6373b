from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chancery.directory.models import (
    Affiliation,
    Consent,
    ConsentRequest,
    Country,
    Organisation,
    Person,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["alpha2", "alpha3", "name_en", "name_ru", "name_kk"]
    search_fields = ["alpha2", "alpha3", "name_en", "name_ru", "name_kk"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "kind", "country", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name_en", "name_ru", "name_kk", "short_name"]
    autocomplete_fields = ["country", "parent"]
    exclude = ["name"]  # kept by django-modeltranslation; edit name_en, name_ru, name_kk


class CitizenshipInline(admin.TabularInline):
    model = Person.citizenships.through
    extra = 0
    autocomplete_fields = ["country"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "class_year", "owner", "birth_date"]
    search_fields = [
        "given_name",
        "family_name",
        "given_name_cyrl",
        "family_name_cyrl",
        "email",
        "name_key",
    ]
    list_filter = ["owner"]
    autocomplete_fields = ["guardian", "owner"]
    inlines = [CitizenshipInline]


@admin.register(Affiliation)
class AffiliationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organisation", "role", "start", "end"]
    list_filter = ["role"]
    autocomplete_fields = ["person", "organisation"]


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "kind", "given_by", "given_on", "withdrawn_on", "given_via"]
    list_filter = ["kind"]
    autocomplete_fields = ["person", "given_by"]


@admin.register(ConsentRequest)
class ConsentRequestAdmin(SimpleHistoryAdmin):
    list_display = ["person", "guardian", "created_at", "expires_at", "revoked_at", "answered_at"]
    autocomplete_fields = ["person", "guardian"]
    readonly_fields = ["requested_by", "created_at", "answered_at"]
