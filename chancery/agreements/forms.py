from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chancery.agreements.models import Agreement, Commitment, Party
from chancery.core.forms import field_of
from chancery.core.validators import upload_limit_text, validate_upload_size
from chancery.core.widgets import DateInput

DATE = DateInput()


class AgreementForm(forms.ModelForm):
    # The title per language (django-modeltranslation): `title` is the English one (title_en).
    title = forms.CharField(label=_("Title (English)"), max_length=300)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    # The summary too: `summary` is the English one (summary_en).
    summary = forms.CharField(
        label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_ru = forms.CharField(
        label=_("Summary (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_kk = forms.CharField(
        label=_("Summary (Kazakh)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scope = forms.CharField(
        label=_("Scope: priorities, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "title_ru",
            "title_kk",
            "kind",
            "owner",
            "signed_on",
            "in_force_from",
            "term_months",
            "renewal",
            "terminated_on",
            "summary",
            "summary_ru",
            "summary_kk",
        ]
        widgets = {
            "signed_on": DATE,
            "in_force_from": DATE,
            "terminated_on": DATE,
        }

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "owner", forms.ModelChoiceField).queryset = offices
        if self.instance.pk:
            # The English title, not the one of the reader's language `title` reads.
            self.initial["title"] = self.instance.title_en
            self.initial["summary"] = self.instance.summary_en
            self.fields["scope"].initial = "\n".join(
                item.text for item in self.instance.scope_items.all()
            )

    def _post_clean(self) -> None:
        pass

    def scope_items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["scope"].splitlines() if line.strip()]


class PartyForm(forms.ModelForm):
    # The signatory's title per language: `signatory_title` is the English one.
    signatory_title = forms.CharField(
        label=_("Signatory's title (English)"), max_length=200, required=False
    )
    signatory_title_ru = forms.CharField(
        label=_("Signatory's title (Russian)"), max_length=200, required=False
    )
    signatory_title_kk = forms.CharField(
        label=_("Signatory's title (Kazakh)"), max_length=200, required=False
    )

    class Meta:
        model = Party
        fields = [
            "organisation",
            "signatory",
            "signatory_title",
            "signatory_title_ru",
            "signatory_title_kk",
        ]

    def _post_clean(self) -> None:
        pass


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = [
            "description",
            "quota",
            "programme",
            "citizenship",
            "counts",
            "period_start",
            "period_end",
        ]
        widgets = {"period_start": DATE, "period_end": DATE}

    def _post_clean(self) -> None:
        pass


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        validators=[validate_upload_size],
        help_text=format_lazy(
            "{} {}", _("Upload a PDF, an image, DOCX or ODT."), upload_limit_text()
        ),
    )
