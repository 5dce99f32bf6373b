"""The home dashboard, the language switch and the jobs pages."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from chancery.accounts.services import set_language as remember_language
from chancery.core import jobs
from chancery.core.access import allow, public, signed_in
from chancery.core.views_support import download, get_or_404
from chancery.site import home as home_page
from chancery.site.jobs import file_visible_to, jobs_visible_to

JOBS_LISTED = 100


@allow(signed_in)
def home(request: HttpRequest) -> HttpResponse:
    """A section per role the user holds: what they have to do, the most first."""
    return render(request, "site/home.html", {"sections": home_page.sections(request.user)})


@public
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language; a signed-in user's choice is also kept in their profile."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        remember_language(user=request.user, language=language)
    return response


@allow(signed_in)
def job_list(request: HttpRequest) -> HttpResponse:
    """The background jobs the user may follow, the latest first."""
    shown = jobs_visible_to(request.user).select_related("owner")[:JOBS_LISTED]
    return render(request, "site/job_list.html", {"jobs": shown})


@allow(signed_in)
def job_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A job's progress bar (htmx polls it every second), then its result or its error."""
    job = jobs.reconcile(get_or_404(jobs_visible_to(request.user), pk))
    context = {
        "job": job,
        "downloadable": file_visible_to(request.user, job),
        "owner": job.owner_id is not None and job.owner_id == request.user.pk,
        "retryable": jobs.retryable(job),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "site/job_detail.html#progress", context)
    return render(request, "site/job_detail.html", context)


@allow(signed_in)
@require_POST
def job_retry(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Queue a failed job of one's own again, with the same arguments."""
    job = get_or_404(jobs_visible_to(request.user).filter(owner_id=request.user.pk), pk)
    if not jobs.retryable(job):
        messages.error(request, _("Only a failed job can be retried."))
        return redirect("job", pk=job.pk)
    return redirect("job", pk=jobs.retry_job(job=job, actor=request.user).pk)


@allow(signed_in)
def job_file(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    """The file a job wrote (an export, certificates), for the one who started it only."""
    job = get_or_404(jobs_visible_to(request.user), pk)
    if not file_visible_to(request.user, job):
        raise Http404
    return download(job.file, job.file_name or job.file.rsplit("/", 1)[-1])
