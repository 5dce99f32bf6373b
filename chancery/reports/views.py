"""Report pages: the people import (upload, dry run, commit) and the exports.

The uploaded file waits for the commit in the storage backend (imports/pending/, a random
name), not on one server's disk, so any app server can take the commit; the session holds only
that name, the original file name and the office. A file in the session would do too, but an
XLSX is binary and 20 MB would travel with every request of the session. Only the session that
uploaded a file knows its name, the commit deletes it, and files left behind (uploads never
committed) are removed a day later, at the next upload.
"""

import secrets
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chancery.accounts.access import is_officer
from chancery.core.access import allow
from chancery.core.jobs import start_job
from chancery.core.models import JobKind
from chancery.directory.queries import offices_of
from chancery.programmes.queries import programmes_managed_by
from chancery.reports import exports, imports, tasks
from chancery.reports.forms import ImportForm

SESSION_KEY = "reports_import"
STALE_SECONDS = 24 * 3600
ROWS_ALWAYS_SHOWN = 500
ROWS_SHOWN_AT_MOST = 5000
# Files larger than this are checked and imported by a background job (`chancery db_worker`).
BACKGROUND_BYTES = 2 * 1024 * 1024


PENDING = "imports/pending"


def _store(data: bytes, extension: str) -> str:
    """Keep an upload under a random name; sweep uploads older than a day."""
    cutoff = timezone.now() - timedelta(seconds=STALE_SECONDS)
    if default_storage.exists(PENDING):
        for name in default_storage.listdir(PENDING)[1]:
            if default_storage.get_modified_time(f"{PENDING}/{name}") < cutoff:
                default_storage.delete(f"{PENDING}/{name}")
    token = secrets.token_urlsafe(24)
    default_storage.save(pending_name({"token": token, "extension": extension}), ContentFile(data))
    return token


def pending_name(stored: dict[str, Any]) -> str:
    """Where an upload waiting for its commit is kept in the storage backend."""
    return f"{PENDING}/{stored['token']}.{stored['extension']}"


def _read_pending(stored: dict[str, Any]) -> bytes | None:
    name = pending_name(stored)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data


def _shown(plan: imports.ImportPlan) -> tuple[list[imports.PersonRow], int, int]:
    """The rows to show: errors first, then warnings, then the first rows without remarks;
    with how many rows with remarks and without are left out of a very large file."""
    errors = [row for row in plan.rows if row.errors]
    warned = [row for row in plan.rows if row.warnings and not row.errors]
    remarked = (errors + warned)[:ROWS_SHOWN_AT_MOST]
    plain = [row for row in plan.rows if not row.errors and not row.warnings]
    shown_plain = plain[: max(0, min(ROWS_ALWAYS_SHOWN, ROWS_SHOWN_AT_MOST - len(remarked)))]
    return (
        remarked + shown_plain,
        len(errors) + len(warned) - len(remarked),
        len(plain) - len(shown_plain),
    )


def _plan_page(
    request: HttpRequest,
    form: ImportForm,
    plan: imports.ImportPlan | None,
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    shown, hidden_remarked, hidden = _shown(plan) if plan else ([], 0, 0)
    return render(
        request,
        "reports/import.html",
        {
            "form": form,
            "plan": plan,
            "shown": shown,
            "token": token,
            "hidden": hidden,
            "hidden_remarked": hidden_remarked,
            "columns": imports.COLUMNS,
        },
        status=status,
    )


def _in_background(
    request: HttpRequest, data: bytes, filename: str, office: Any, *, commit: bool
) -> HttpResponse:
    """A big file is checked (or imported) by a background job; its page shows the progress."""
    token = ""
    if not commit:
        previous = request.session.get(SESSION_KEY)
        if previous:
            default_storage.delete(pending_name(previous))
        extension = filename.rsplit(".", 1)[-1].lower()
        token = _store(data, extension)
        request.session[SESSION_KEY] = {
            "token": token,
            "extension": extension,
            "name": filename,
            "office": office.pk,
        }
    title = (_("Import of %(file)s") if commit else _("Dry run of %(file)s")) % {"file": filename}
    job = start_job(
        tasks.import_people,
        kind=JobKind.IMPORT,
        title=title,
        owner=request.user,
        office=office,
        input_name=tasks.keep_input(data, filename),
        filename=filename,
        office_id=office.pk,
        user_id=request.user.pk,
        commit=commit,
        token=token,
    )
    return redirect("job", pk=job.pk)


@allow(is_officer)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/index.html",
        {
            "lists": list(exports.LISTS),
            "formats": exports.FORMATS,
        },
    )


@allow(is_officer)
def import_people(request: HttpRequest) -> HttpResponse:
    offices = offices_of(request.user)
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None, offices=offices
    )
    if not posted:
        return _plan_page(request, form, None)
    if not form.is_valid():
        return _plan_page(request, form, None, status=422)
    upload = form.cleaned_data["file"]
    office = form.cleaned_data["office"]
    data = upload.read()
    if len(data) > BACKGROUND_BYTES:
        return _in_background(request, data, upload.name, office, commit=False)
    try:
        plan = imports.plan_import(
            data, upload.name, office=office, programmes=programmes_managed_by(request.user)
        )
    except imports.ImportFileError as error:
        form.add_error("file", str(error).removeprefix("file: "))
        return _plan_page(request, form, None, status=422)
    previous = request.session.get(SESSION_KEY)
    if previous:
        default_storage.delete(pending_name(previous))
    extension = upload.name.rsplit(".", 1)[-1].lower()
    token = _store(data, extension)
    request.session[SESSION_KEY] = {
        "token": token,
        "extension": extension,
        "name": upload.name,
        "office": office.pk,
    }
    return _plan_page(request, form, plan, token)


@allow(is_officer)
@require_POST
def import_commit(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not stored or not secrets.compare_digest(
        str(stored.get("token", "")), request.POST.get("token", "")
    ):
        messages.error(request, _("This upload is no longer waiting; upload the file again."))
        return redirect("reports:import")
    office = offices_of(request.user).filter(pk=stored["office"]).first()
    data = _read_pending(stored) if office is not None else None
    if office is None or data is None:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, _("This upload is no longer waiting; upload the file again."))
        return redirect("reports:import")
    form = ImportForm(offices=offices_of(request.user), initial={"office": office.pk})
    if len(data) > BACKGROUND_BYTES:
        default_storage.delete(pending_name(stored))
        request.session.pop(SESSION_KEY, None)
        return _in_background(request, data, stored["name"], office, commit=True)
    try:
        plan = imports.import_people(
            data,
            stored["name"],
            office=office,
            user=request.user,
            programmes=programmes_managed_by(request.user),
        )
    except imports.ImportRefused as refused:
        messages.error(request, str(refused))
        return _plan_page(request, form, refused.plan, stored["token"], status=422)
    except imports.ImportFileError as error:
        messages.error(request, str(error))
        return redirect("reports:import")
    default_storage.delete(pending_name(stored))
    request.session.pop(SESSION_KEY, None)
    return render(request, "reports/import_done.html", {"plan": plan})


@allow(is_officer)
def export(request: HttpRequest, name: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if name not in exports.LISTS or fmt not in exports.FORMATS:
        raise Http404
    if request.method == "POST":  # prepared by a background job, kept for its owner
        job = start_job(
            tasks.export_list,
            kind=JobKind.EXPORT,
            owner=request.user,
            title=_("Export of %(list)s (%(format)s)") % {"list": name, "format": fmt.upper()},
            name=name,
            fmt=fmt,
            user_id=request.user.pk,
        )
        return redirect("job", pk=job.pk)
    content = exports.export(name, fmt, request.user)
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    else:
        response = HttpResponse(b"".join(content), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(name, fmt)}"'
    return response
