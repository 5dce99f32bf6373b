"""Forms of calls: the officer's call, question and document forms, and the applicant's form,
built from the call's questions and documents."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chancery.calls.models import Application, Call, Document, Question, QuestionKind
from chancery.core.forms import field_of
from chancery.core.widgets import DateInput, DateTimeInput
from chancery.directory.models import Country


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = [
            "edition",
            "slug",
            "title_en",
            "title_ru",
            "title_kk",
            "intro_en",
            "intro_ru",
            "intro_kk",
            "eligible_en",
            "eligible_ru",
            "eligible_kk",
            "deadline",
            "referees",
            "published",
        ]
        widgets = {"deadline": DateTimeInput()}

    def __init__(self, *args: Any, editions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["edition"]
        else:
            field_of(self, "edition", forms.ModelChoiceField).queryset = editions


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "kind",
            "label_en",
            "label_ru",
            "label_kk",
            "choices_en",
            "choices_ru",
            "choices_kk",
            "word_limit",
            "required",
            "position",
        ]
        widgets = {
            f"choices_{code}": forms.Textarea(attrs={"rows": 2}) for code in ("en", "ru", "kk")
        }


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["name_en", "name_ru", "name_kk", "file_types", "max_mb", "required", "position"]


class ApplicationForm(forms.Form):
    """The call's questions (file questions are uploaded apart) and the applicant's name."""

    given_name = forms.CharField(label=_("Given name (Latin)"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name (Latin)"), max_length=100, required=False)

    def __init__(
        self, *args: Any, application: Application, facts: Any = (), **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {
            "given_name": application.given_name,
            "family_name": application.family_name,
        }
        self.facts = list(facts)
        held = [*application.citizenships, "", ""]
        initial.update(
            citizenship=held[0],
            second_citizenship=held[1],
            birth_date=application.birth_date,
            class_year=application.class_year,
        )
        self.questions = [
            q for q in application.call.questions.all() if q.kind != QuestionKind.FILE
        ]
        for question in self.questions:
            initial[question.field_name] = application.answers.get(str(question.pk), "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self._add_facts()
        for question in self.questions:
            self.fields[question.field_name] = self._field(question)

    def _add_facts(self) -> None:
        """The facts the programme's rules read, when the office has no record of them."""
        if "citizenships" in self.facts:
            countries = sorted(
                ((c.alpha2, c.name) for c in Country.objects.all()), key=lambda item: item[1]
            )
            choices = [("", "—"), *countries]
            self.fields["citizenship"] = forms.ChoiceField(
                label=_("Citizenship"), choices=choices, required=False
            )
            self.fields["second_citizenship"] = forms.ChoiceField(
                label=_("Second citizenship, if any"), choices=choices, required=False
            )
        if "birth_date" in self.facts:
            self.fields["birth_date"] = forms.DateField(
                label=_("Birth date"), required=False, widget=DateInput()
            )
        if "class_year" in self.facts:
            self.fields["class_year"] = forms.IntegerField(
                label=_("Class year"),
                required=False,
                min_value=1950,
                max_value=2100,
                help_text=_("The year you graduated."),
            )

    def stated_facts(self) -> dict[str, Any] | None:
        """The facts as services.save_draft takes them (None when none are asked)."""
        if not self.facts:
            return None
        data = self.cleaned_data
        return {
            "citizenships": [
                code for code in (data.get("citizenship"), data.get("second_citizenship")) if code
            ],
            "birth_date": data.get("birth_date"),
            "class_year": data.get("class_year"),
        }

    @staticmethod
    def _field(question: Question) -> forms.Field:
        label = question.label
        help_text = ""
        if question.word_limit:
            help_text = _("At most %(limit)d words.") % {"limit": question.word_limit}
        # Nothing is required for a draft; submitting checks what is (services.missing).
        if question.kind == QuestionKind.LONG:
            return forms.CharField(
                label=label,
                required=False,
                help_text=help_text,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        if question.kind == QuestionKind.CHOICE:
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=[
                    ("", "—"),
                    *((str(i), option) for i, option in enumerate(question.options)),
                ],
            )
        if question.kind == QuestionKind.DATE:
            return forms.DateField(label=label, required=False, widget=DateInput())
        return forms.CharField(label=label, required=False, max_length=300)

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(q.field_name) for q in self.questions}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    item = forms.CharField(widget=forms.HiddenInput)


class RefereeForm(forms.Form):
    name = forms.CharField(label=_("Referee's name"), max_length=200)
    email = forms.EmailField(label=_("Referee's e-mail"))


class LetterForm(forms.Form):
    letter = forms.FileField(label=_("Your letter (PDF, DOCX or ODT, at most 5 MB)"))
