from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from chancery.calls.models import Application, Call, Document, Question, Upload


class QuestionInline(TranslationTabularInline):
    model = Question
    extra = 0


class DocumentInline(TranslationTabularInline):
    model = Document
    extra = 0


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("title", "edition", "deadline", "published")
    list_filter = ("published",)
    search_fields = ("title_en", "slug")
    inlines = [QuestionInline, DocumentInline]


class UploadInline(admin.TabularInline):
    model = Upload
    extra = 0
    readonly_fields = ("document", "question", "original_name", "kind", "size", "uploaded_at")
    fields = readonly_fields
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ("applicant", "call", "status", "submitted_at")
    list_filter = ("status", "call")
    readonly_fields = ("status", "enrolment", "submitted_at", "created_at")
    inlines = [UploadInline]
