"""Event titles, descriptions and venues per language (django-modeltranslation: title_en,
title_ru, title_kk, description_en..., venue_en...).

`event.title`, `event.description` and `event.venue` read the reader's language with the
fallback of MODELTRANSLATION_FALLBACK_LANGUAGES (English, then any filled language).
"""

from modeltranslation.translator import TranslationOptions, translator

from chancery.events.models import Event


class EventOptions(TranslationOptions):
    fields = ("title", "description", "venue")
    required_languages = {"en": ("title",)}


class HistoricalEventOptions(TranslationOptions):
    fields = ("title", "description", "venue")


translator.register(Event, EventOptions)
translator.register(Event.history.model, HistoricalEventOptions)
