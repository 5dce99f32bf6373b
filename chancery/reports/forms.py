"""The upload form of the people import."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chancery.core.validators import upload_limit_text, validate_upload_size
from chancery.directory.models import Organisation

EXTENSIONS = ("csv", "xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=format_lazy(
            "{} {}",
            gettext_lazy("A .csv (UTF-8, comma or semicolon) or .xlsx file."),
            upload_limit_text(),
        ),
        validators=[validate_upload_size],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    office: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Office keeping the records"),
        empty_label=None,
        help_text=gettext_lazy(
            "New people are kept by this office; rows are matched against its records."
        ),
    )

    def __init__(self, *args: Any, offices: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in EXTENSIONS:
            raise forms.ValidationError(_("upload a .csv or .xlsx file"), code="type")
        return upload
