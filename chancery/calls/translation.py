"""A call's texts and its form's labels per language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, translator

from chancery.calls.models import Call, Document, Question


class CallOptions(TranslationOptions):
    fields = ("title", "intro", "eligible")
    required_languages = {"en": ("title",)}


class QuestionOptions(TranslationOptions):
    fields = ("label", "choices")
    required_languages = {"en": ("label",)}


class DocumentOptions(TranslationOptions):
    fields = ("name",)
    required_languages = {"en": ("name",)}


class HistoricalCallOptions(TranslationOptions):
    fields = ("title", "intro", "eligible")


class HistoricalQuestionOptions(TranslationOptions):
    fields = ("label", "choices")


class HistoricalDocumentOptions(TranslationOptions):
    fields = ("name",)


translator.register(Call, CallOptions)
translator.register(Question, QuestionOptions)
translator.register(Document, DocumentOptions)
translator.register(Call.history.model, HistoricalCallOptions)
translator.register(Question.history.model, HistoricalQuestionOptions)
translator.register(Document.history.model, HistoricalDocumentOptions)
