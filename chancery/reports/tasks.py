"""Background jobs of the reports: the people import (dry run or commit) and list exports.

Each is a Django task run by `chancery db_worker`; `chancery.core.jobs` records its progress
and outcome on its Job. The file to import waits in default_storage (jobs/inputs/) and is
deleted when the job ends; an export is written to default_storage (jobs/<job>/) and served to
the one who started the job only.
"""

import secrets
import tempfile
from collections.abc import Iterator
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chancery.accounts.models import User
from chancery.core.actors import SYSTEM
from chancery.core.jobs import JobError, Outcome, Progress, job_task, storage_name
from chancery.core.models import Job
from chancery.directory.models import Organisation
from chancery.programmes.queries import programmes_managed_by
from chancery.reports import exports, imports

ERRORS_LISTED = 200  # errors and warnings named on the job's page; the rest are counted
WARNINGS_LISTED = 50


def keep_input(data: bytes, filename: str) -> str:
    """Put a file to import where the worker can read it; its name in default_storage."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return default_storage.save(
        f"jobs/inputs/{secrets.token_urlsafe(24)}.{extension}", ContentFile(data)
    )


def plan_result(plan: imports.ImportPlan) -> dict[str, Any]:
    """What a job's page shows of an import: counts, then the rows with errors or warnings."""
    counts = plan.counts
    errors = [message for row in plan.rows for message in row.error_messages]
    warnings = [
        *plan.file_warnings,
        *(message for row in plan.rows for message in row.warning_messages),
    ]
    return {
        "summary": plan.summary(),
        "figures": [
            [_("to create") if not plan.committed else _("people created"), counts["create"]],
            [
                _("to update") if not plan.committed else _("rows updating a record"),
                counts["update"],
            ],
            [_("unchanged"), counts["skip"]],
            [_("with errors"), plan.error_count],
            [_("with warnings"), plan.warning_count],
        ],
        "errors": errors[:ERRORS_LISTED],
        "more_errors": max(0, len(errors) - ERRORS_LISTED),
        "warnings": warnings[:WARNINGS_LISTED],
        "more_warnings": max(0, len(warnings) - WARNINGS_LISTED),
    }


@task()
@job_task
def import_people(
    job: Job,
    progress: Progress,
    *,
    input_name: str,
    filename: str,
    office_id: int,
    user_id: int | None,
    commit: bool,
    token: str = "",
) -> Outcome:
    """Check (and with `commit`, write in one transaction) a people file."""

    def rows_checked(done: int, total: int) -> None:
        progress(
            done,
            total,
            _("Checking the rows")
            if not commit
            else _("Checking the rows, then writing them all at once"),
        )

    try:
        with default_storage.open(input_name, "rb") as handle:
            data = handle.read()
    except OSError:
        raise JobError(_("file: the uploaded file is no longer there; upload it again.")) from None
    office = Organisation.objects.get(pk=office_id)
    # The command line acts as the system unless --as names whose rights to take.
    user = User.objects.get(pk=user_id) if user_id else None
    programmes = programmes_managed_by(user) if user else None
    progress(0, 0, _("Reading the file"))
    try:
        if commit:
            plan = imports.import_people(
                data,
                filename,
                office=office,
                user=user or SYSTEM,
                programmes=programmes,
                progress=rows_checked,
            )
        else:
            plan = imports.plan_import(
                data, filename, office=office, programmes=programmes, progress=rows_checked
            )
    except imports.ImportFileError as error:
        raise JobError(str(error)) from None
    except imports.ImportRefused as refused:
        raise JobError(str(refused), result=plan_result(refused.plan)) from None
    finally:
        default_storage.delete(input_name)
    result = plan_result(plan)
    if commit:
        result["summary"] = _(
            "%(file)s is imported into the records of %(office)s: "
            "%(create)d created, %(update)d updated, %(skip)d unchanged."
        ) % {"file": filename, "office": office, **plan.counts}
        result["links"] = [
            [_("People"), reverse("directory:people")],
            [_("Likely duplicates"), reverse("directory:duplicates")],
        ]
        return Outcome(result=result, message=_("Imported."))
    if not plan.error_count and token:
        result["action"] = {
            "url": reverse("reports:import_commit"),
            "fields": {"token": token},
            "label": _("Import these rows"),
        }
    result["links"] = [[_("Import another file"), reverse("reports:import")]]
    return Outcome(result=result, message=_("Dry run: nothing was written."))


def counted_rows(rows: Any, total: int, progress: Progress) -> Iterator[Any]:
    done = 0
    for row in rows.iterator(chunk_size=exports.CHUNK_ROWS):
        yield row
        done += 1
        if done % exports.CHUNK_ROWS == 0:
            progress(done, total, _("Writing the rows"))
    progress(done, max(total, done), _("Writing the rows"))


@task()
@job_task
def export_list(
    job: Job, progress: Progress, *, name: str, fmt: str, user_id: int | None
) -> Outcome:
    """Write a list as the user may see it (everything for the command line) to storage."""
    if name not in exports.LISTS or fmt not in exports.FORMATS:
        raise JobError(
            _("list: there is no list %(name)s in %(format)s.") % {"name": name, "format": fmt}
        )
    # The command line is trusted as the system, unless --as says whose view to take.
    user: Any = User.objects.get(pk=user_id) if user_id else SYSTEM
    chosen = exports.LISTS[name]
    rows = chosen.rows_for(user)
    total = rows.count()
    progress(0, total, _("Writing the rows"))
    filename = exports.filename(name, fmt)
    with tempfile.TemporaryFile() as out:
        for chunk in exports.render(counted_rows(rows, total, progress), chosen.columns, fmt):
            out.write(chunk)
        out.seek(0)
        stored = default_storage.save(storage_name(job, filename), File(out, name=filename))
    return Outcome(
        result={
            "summary": ngettext(
                "%(count)d row exported to %(file)s.", "%(count)d rows exported to %(file)s.", total
            )
            % {"count": total, "file": filename}
        },
        file=stored,
        file_name=filename,
        message=_("Written."),
    )
