"""Agreement titles and summaries, and signatories' titles, per language (django-modeltranslation: title_en,
title_ru, title_kk, signatory_title_en...).

`agreement.title` and `party.signatory_title` read the reader's language with the fallback of
MODELTRANSLATION_FALLBACK_LANGUAGES (English, then any filled language).
"""

from modeltranslation.translator import TranslationOptions, translator

from chancery.agreements.models import Agreement, Party


class AgreementOptions(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("en",)


class HistoricalAgreementOptions(TranslationOptions):
    fields = ("title", "summary")


class PartyOptions(TranslationOptions):
    fields = ("signatory_title",)


class HistoricalPartyOptions(TranslationOptions):
    fields = ("signatory_title",)


translator.register(Agreement, AgreementOptions)
translator.register(Agreement.history.model, HistoricalAgreementOptions)
translator.register(Party, PartyOptions)
translator.register(Party.history.model, HistoricalPartyOptions)
