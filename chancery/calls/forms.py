"""Forms of calls: the officer's call, question and document forms, and the applicant's form,
built from the call's questions and documents."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chancery.calls.models import Application, Call, Document, Question, QuestionKind


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = ["edition", "slug", "title_en", "title_ru", "title_kk", "intro_en", "intro_ru",
                  "intro_kk", "eligible_en", "eligible_ru", "eligible_kk", "deadline",
                  "published"]
        widgets = {"deadline": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                   format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args: Any, editions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["edition"]
        else:
            self.fields["edition"].queryset = editions


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["kind", "label_en", "label_ru", "label_kk", "choices_en", "choices_ru",
                  "choices_kk", "word_limit", "required", "position"]
        widgets = {f"choices_{code}": forms.Textarea(attrs={"rows": 2})
                   for code in ("en", "ru", "kk")}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["name_en", "name_ru", "name_kk", "file_types", "max_mb", "required",
                  "position"]


class ApplicationForm(forms.Form):
    """The call's questions (file questions are uploaded apart) and the applicant's name."""

    given_name = forms.CharField(label=_("Given name (Latin)"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name (Latin)"), max_length=100,
                                  required=False)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        initial = {"given_name": application.given_name,
                   "family_name": application.family_name}
        self.questions = [q for q in application.call.questions.all()
                          if q.kind != QuestionKind.FILE]
        for question in self.questions:
            initial[question.field_name] = application.answers.get(str(question.pk), "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for question in self.questions:
            self.fields[question.field_name] = self._field(question)

    @staticmethod
    def _field(question: Question) -> forms.Field:
        label = question.label
        help_text = ""
        if question.word_limit:
            help_text = _("At most %(limit)d words.") % {"limit": question.word_limit}
        # Nothing is required for a draft; submitting checks what is (services.missing).
        if question.kind == QuestionKind.LONG:
            return forms.CharField(label=label, required=False, help_text=help_text,
                                   widget=forms.Textarea(attrs={"rows": 6}))
        if question.kind == QuestionKind.CHOICE:
            return forms.ChoiceField(label=label, required=False, choices=[
                ("", "—"), *((str(i), option) for i, option in enumerate(question.options))])
        if question.kind == QuestionKind.DATE:
            return forms.DateField(label=label, required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
        return forms.CharField(label=label, required=False, max_length=300)

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(q.field_name) for q in self.questions}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    item = forms.CharField(widget=forms.HiddenInput)
