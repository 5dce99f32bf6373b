"""Model UN texts per language (django-modeltranslation): a conference's title and theme, a
committee's name and an agenda item's title are kept in English (required), Russian and Kazakh.

`conference.title`, `conference.theme`, `committee.name` and `item.title` read the reader's language with the
fallback of MODELTRANSLATION_FALLBACK_LANGUAGES (English, then any filled language).
"""

from modeltranslation.translator import TranslationOptions, translator

from chancery.mun.models import AgendaItem, Committee, Conference


class ConferenceOptions(TranslationOptions):
    fields = ("title", "theme")
    required_languages = ("en",)


class CommitteeOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


class AgendaItemOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


class HistoricalConferenceOptions(TranslationOptions):
    fields = ("title", "theme")


class HistoricalCommitteeOptions(TranslationOptions):
    fields = ("name",)


class HistoricalAgendaItemOptions(TranslationOptions):
    fields = ("title",)


translator.register(Conference, ConferenceOptions)
translator.register(Committee, CommitteeOptions)
translator.register(AgendaItem, AgendaItemOptions)
translator.register(Conference.history.model, HistoricalConferenceOptions)
translator.register(Committee.history.model, HistoricalCommitteeOptions)
translator.register(AgendaItem.history.model, HistoricalAgendaItemOptions)
