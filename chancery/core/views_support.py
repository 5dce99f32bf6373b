"""What every app's pages share: one lookup that answers 404, one refusal that answers 403,
one way to report errors, one way to hand out a stored file (the rule: core/access.py)."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest


def get_or_404[M: Any](queryset: QuerySet[M], pk: int | uuid.UUID) -> M:
    """The object with this id among those the queryset allows, or 404 (never a leak)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def require(allowed: bool) -> None:
    """403 unless `allowed`: for a record the user may see (the lookup found it among theirs)
    but whose page they may not use, such as editing an event of their season that is not
    their pairing's. Its existence is no secret to them, so it is not a 404."""
    if not allowed:
        raise PermissionDenied


def report_errors(request: HttpRequest, error: ValidationError) -> None:
    """Show a service's refusal as error messages on the next page."""
    for message in error.messages:
        messages.error(request, message)


def download(name: str | None, filename: str) -> FileResponse:
    """The stored file `name` as an attachment called `filename`; 404 when it is gone."""
    if not name or not default_storage.exists(name):
        raise Http404
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)
