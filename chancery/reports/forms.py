"""The upload form of the people import."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chancery.directory.models import Organisation

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
EXTENSIONS = ("csv", "xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A .csv (UTF-8, comma or semicolon) or .xlsx file, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    office = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Office keeping the records"),
        empty_label=None,
        help_text=gettext_lazy("New people are kept by this office; rows are matched against "
                               "its records."),
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
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("the file is larger than 20 MB"), code="size")
        return upload
