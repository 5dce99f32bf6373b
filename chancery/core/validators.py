"""The size limit of uploaded files (MAX_UPLOAD_MB), shared by every upload form.

Types are checked where each kind of file is understood: the forms' extensions, and the
content of photos in events/services.py (check_photo_content).
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024


def max_upload_bytes() -> int:
    """The largest file one may upload, in bytes (the MAX_UPLOAD_MB setting)."""
    return int(settings.MAX_UPLOAD_MB) * MB


def _limit_text() -> str:
    return gettext("%(max)d MB at most.") % {"max": settings.MAX_UPLOAD_MB}


# For help texts: read when the form is shown, so it follows the setting and the language.
upload_limit_text = lazy(_limit_text, str)


@deconstructible
class UploadSizeValidator:
    """Refuse a file larger than MAX_UPLOAD_MB, naming both sizes."""

    code = "file_too_large"

    def __call__(self, upload: Any) -> None:
        size = getattr(upload, "size", None) or 0
        if size > max_upload_bytes():
            raise ValidationError(
                _("The file is %(size)s; files of at most %(max)d MB are accepted."),
                code=self.code,
                params={"size": filesizeformat(size), "max": settings.MAX_UPLOAD_MB},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadSizeValidator)

    def __hash__(self) -> int:
        return hash(self.code)


validate_upload_size = UploadSizeValidator()


def check_upload_size(upload: Any, field: str = "file") -> None:
    """`validate_upload_size` for services, whose errors name the field."""
    try:
        validate_upload_size(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
