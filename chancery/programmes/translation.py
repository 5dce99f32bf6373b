"""Programme names and descriptions per language (django-modeltranslation).

`programme.name` and `programme.description` read the reader's language with the fallback of
MODELTRANSLATION_FALLBACK_LANGUAGES (English, then any filled language).
"""

from modeltranslation.translator import TranslationOptions, translator

from chancery.programmes.models import Programme


class ProgrammeOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}


class HistoricalProgrammeOptions(TranslationOptions):
    fields = ("name", "description")


translator.register(Programme, ProgrammeOptions)
translator.register(Programme.history.model, HistoricalProgrammeOptions)
