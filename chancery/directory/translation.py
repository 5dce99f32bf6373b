"""Organisation names per language (django-modeltranslation: name_en, name_ru, name_kk).

`organisation.name` reads the reader's language and falls back to English, then to any filled
language (MODELTRANSLATION_FALLBACK_LANGUAGES). The historical model is registered too, so the
audit trail keeps every language's name.
"""

from modeltranslation.translator import TranslationOptions, translator

from chancery.directory.models import Organisation


class NameOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


class HistoricalNameOptions(TranslationOptions):
    fields = ("name",)


translator.register(Organisation, NameOptions)
translator.register(Organisation.history.model, HistoricalNameOptions)
