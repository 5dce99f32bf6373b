"""Background job of the programmes: every certificate of an edition, in one ZIP file.

Each completed enrolment without a certificate gets one (issued through the service, audited),
then every valid certificate is drawn as a PDF into the ZIP kept in default_storage for the
officer who asked (`chancery db_worker` runs the job).
"""

import re
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from chancery.accounts.models import User
from chancery.core.jobs import JobError, Outcome, Progress, job_task, storage_name
from chancery.core.models import Job
from chancery.programmes import queries, services
from chancery.programmes.certificates import LANGUAGES, render_certificate_pdf
from chancery.programmes.models import Certificate, Edition, EnrolmentState


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-")[:60] or "certificate"


@task()
@job_task
def edition_certificates(
    job: Job,
    progress: Progress,
    *,
    edition_id: int,
    user_id: int,
    base_url: str,
    language: str = "en",
) -> Outcome:
    """Issue the missing certificates of an edition's completed enrolments; ZIP all the PDFs."""
    user = User.objects.get(pk=user_id)
    edition = Edition.objects.filter(
        programme__in=queries.programmes_managed_by(user), pk=edition_id
    ).first()
    if edition is None:
        raise JobError(
            _("edition: there is no edition #%(edition)s you manage.") % {"edition": edition_id}
        )
    completed = list(
        edition.enrolments.filter(state=EnrolmentState.COMPLETED)
        .select_related("person")
        .order_by("person__family_name", "id")
    )
    if not completed:
        raise JobError(
            _("Nobody has completed this edition yet: there is no certificate to issue.")
        )
    language = language if language in LANGUAGES else "en"
    total = len(completed)
    issued = revoked = drawn = 0
    filename = f"certificates-{_slug(str(edition))}.zip"
    with tempfile.TemporaryFile() as out:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, enrolment in enumerate(completed, start=1):
                certificate = Certificate.objects.filter(enrolment=enrolment).first()
                if certificate is None:
                    certificate = services.issue_certificate(actor=user, enrolment=enrolment)
                    issued += 1
                if certificate.revoked_on is not None:
                    revoked += 1
                else:
                    verify_url = base_url.rstrip("/") + reverse(
                        "verify_certificate", args=[certificate.code]
                    )
                    pdf = render_certificate_pdf(
                        certificate, language=language, verify_url=verify_url
                    )
                    archive.writestr(f"{_slug(str(enrolment.person))}-{certificate.code}.pdf", pdf)
                    drawn += 1
                progress(done, total, _("Drawing the certificates"))
        out.seek(0)
        stored = default_storage.save(storage_name(job, filename), File(out, name=filename))
    return Outcome(
        result={
            "summary": _(
                "%(drawn)d certificates are in the file; %(issued)d of them were issued now."
            )
            % {"drawn": drawn, "issued": issued},
            "figures": [
                [_("completed"), total],
                [_("issued now"), issued],
                [_("in the file"), drawn],
                [_("revoked, left out"), revoked],
            ],
            "links": [[_("Back to the edition"), reverse("programmes:edition", args=[edition.pk])]],
        },
        file=stored,
        file_name=filename,
        message=_("Done."),
    )
