"""Event titles per language (django-modeltranslation: title_en, title_ru, title_kk).

`event.title` reads the reader's language with the fallback of MODELTRANSLATION_FALLBACK_LANGUAGES
(English, then any filled language).
"""

from modeltranslation.translator import TranslationOptions, translator

from chancery.events.models import Event


class EventOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


class HistoricalEventOptions(TranslationOptions):
    fields = ("title",)


translator.register(Event, EventOptions)
translator.register(Event.history.model, HistoricalEventOptions)
