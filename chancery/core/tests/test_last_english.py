"""The last English words of Russian and Kazakh pages (#16): Django's empty choice, the import
columns' help, and Kazakh's one word for two things (agreements and consents)."""

import pytest
from django import forms
from django.utils import translation

from chancery.directory.models import AffiliationRole, Country, Organisation
from chancery.reports import imports


class _Form(forms.Form):
    country = forms.ModelChoiceField(queryset=Country.objects.filter(alpha2="KZ"))


class _ModelForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["kind"]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "empty"), [("ru", "— Выберите —"), ("kk", "— Таңдаңыз —")])
def test_the_empty_choice_of_a_select_is_translated(language: str, empty: str) -> None:
    with translation.override(language):
        chosen = str(_Form()["country"])
        kind = str(_ModelForm()["kind"])
    assert f">{empty}</option>" in chosen and "---------" not in chosen
    assert f">{empty}</option>" in kind and "Select an option" not in kind


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_import_columns_help_is_translated(language: str) -> None:
    with translation.override("en"):
        english = [str(help_text) for _name, help_text in imports.COLUMNS]
    with translation.override(language):
        words = [str(help_text) for _name, help_text in imports.COLUMNS]
    assert all(word != english_text for word, english_text in zip(words, english, strict=True))
    with translation.override(language):
        role = dict(imports.COLUMNS)["role"]
        assert ", ".join(AffiliationRole.values) in str(role)  # the values to type stay as typed


def test_kazakh_has_one_word_for_agreements_and_another_for_consents() -> None:
    with translation.override("kk"):
        agreements, consents = translation.gettext("Agreements"), translation.gettext("Consents")
        consent = translation.gettext("consent")
    assert agreements == "Келісімдер" and consents == "Рұқсаттар" and consent == "рұқсат"
