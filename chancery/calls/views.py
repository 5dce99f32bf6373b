"""Pages of calls: the public list and call pages (with the deadline's .ics), the applicant's
draft and submission, and the officer's pages of a call and its form."""

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar
from icalendar import Event as VEvent

from chancery.accounts.access import is_officer
from chancery.calls import queries, services
from chancery.calls.forms import (
    ApplicationForm,
    CallForm,
    DocumentForm,
    LetterForm,
    QuestionForm,
    RefereeForm,
    UploadForm,
)
from chancery.calls.models import Application, Call, QuestionKind
from chancery.core.access import allow, public, signed_in
from chancery.core.confirm import confirmation_step
from chancery.core.forms import add_service_errors
from chancery.core.views_support import download, get_or_404, report_errors
from chancery.programmes import wording
from chancery.programmes.queries import editions_managed_by

SIGNUP_SESSION_KEY = "calls.signup_for"


def signup_call(request: HttpRequest) -> Call | None:
    """The open call a visitor came to apply to, which opens sign-up for them (accounts'
    adapter); None for anyone else."""
    slug = request.session.get(SIGNUP_SESSION_KEY) if hasattr(request, "session") else None
    if not slug:
        return None
    return queries.open_calls().filter(slug=slug).first()


# Public pages


@public
@require_safe
def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calls/call_list.html",
        {"calls": queries.open_calls(), "can_manage": is_officer(request.user)},
    )


@public
@require_safe
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(queries.published_calls(), slug=slug)
    own = queries.applications_of(request.user).filter(call=call).first()
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "open": call.is_open(),
            "own": own,
            "zone": settings.TIME_ZONE,
            "questions": call.questions.all(),
            "documents": call.documents.all(),
        },
    )


@public
@require_safe
def call_ics(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(queries.published_calls(), slug=slug)
    calendar = Calendar()
    calendar.add("prodid", "-//Chancery//Calls for applications//EN")
    calendar.add("version", "2.0")
    entry = VEvent()
    host = urlsplit(settings.SITE_URL).hostname or "chancery"
    entry.add("uid", f"call-{call.pk}-deadline@{host}")
    entry.add("dtstamp", timezone.now())
    deadline = timezone.localtime(call.deadline, timezone.get_default_timezone())
    entry.add("dtstart", deadline)
    entry.add("dtend", deadline)
    entry.add("summary", _("Deadline: %(call)s") % {"call": call.title})
    entry.add("url", request.build_absolute_uri(reverse("calls:detail", args=[call.slug])))
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-deadline.ics"'
    return response


@public
def call_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Apply": a visitor is sent to sign up (opened for this call), an account to its draft."""
    call = get_object_or_404(queries.published_calls(), slug=slug)
    here = reverse("calls:apply", args=[call.slug])
    if not request.user.is_authenticated:
        if not call.is_open():
            messages.error(request, _("The deadline of this call has passed."))
            return redirect("calls:detail", slug=call.slug)
        request.session[SIGNUP_SESSION_KEY] = call.slug
        return redirect(reverse("account_signup") + "?" + urlencode({"next": here}))
    own = queries.applications_of(request.user).filter(call=call).first()
    if own is not None:
        return redirect("calls:application", pk=own.pk)
    if request.method == "POST":
        try:
            application = services.start_application(actor=request.user, call=call)
        except ValidationError as error:
            report_errors(request, error)
            return redirect("calls:detail", slug=call.slug)
        request.session.pop(SIGNUP_SESSION_KEY, None)
        return redirect("calls:application", pk=application.pk)
    return render(request, "calls/apply.html", {"call": call, "open": call.is_open()})


# The applicant's application (officers of the call's office read it)


def _form(application: Application, data: Any = None) -> ApplicationForm:
    return ApplicationForm(data, application=application, facts=queries.facts_asked(application))


def eligibility_rows(
    application: Application, facts: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The applicant's eligibility now, each check once in the reader's language."""
    decision = queries.eligibility_of(application, facts)
    rows = [
        {
            "state": "pending" if check.pending else "passed" if check.passed else "failed",
            "text": wording.reason(check.message),
        }
        for check in decision.checks
    ]
    return {"eligible": decision.eligible, "checks": rows, "pending": bool(decision.pending)}


def _page(
    request: HttpRequest,
    application: Application,
    form: ApplicationForm,
    upload_errors: dict[str, list[str]] | None = None,
    status: int = 200,
    referee_form: RefereeForm | None = None,
) -> HttpResponse:
    mine = application.applicant_id == request.user.pk
    editable = mine and not application.submitted and application.call.is_open()
    return render(
        request,
        "calls/application.html",
        {
            "application": application,
            "call": application.call,
            "form": form,
            "items": queries.files_asked(application),
            "mine": mine,
            "editable": editable,
            "upload_form": UploadForm(),
            "upload_errors": upload_errors or {},
            "referees": queries.referees_of(application),
            "referee_form": referee_form or RefereeForm(),
            "can_name_referee": editable
            and application.referees.count() < application.call.referees,
            "eligibility": eligibility_rows(application),
            "standing": queries.standing(application),
            "answers": queries.answers_of(application) if not mine or application.submitted else [],
        },
        status=status,
    )


@allow(signed_in)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_or_404(queries.applications_read_by(request.user), pk)
    if request.method != "POST":
        return _page(request, application, _form(application))
    if application.applicant_id != request.user.pk:
        raise Http404
    form = _form(application, request.POST)
    if not form.is_valid():
        return _page(request, application, form, status=400)
    try:
        application = services.save_draft(
            actor=request.user,
            application=application,
            answers=form.answers(),
            given_name=form.cleaned_data["given_name"],
            family_name=form.cleaned_data["family_name"],
            facts=form.stated_facts(),
        )
        if "submit" in request.POST:
            application = services.submit(actor=request.user, application=application)
    except ValidationError as error:
        add_service_errors(form, error)
        uploads = {
            k: v
            for k, v in getattr(error, "message_dict", {}).items()
            if k.startswith("document_") or (k.startswith("question_") and k not in form.fields)
        }
        application.refresh_from_db()
        return _page(request, application, form, upload_errors=uploads, status=400)
    if application.submitted:
        messages.success(
            request, _("Your application is submitted. You will receive an e-mail confirming it.")
        )
    else:
        messages.success(
            request, _("Your draft is saved. You can come back to it until the deadline.")
        )
    return redirect("calls:application", pk=application.pk)


@allow(signed_in)
@require_POST
def application_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """The eligibility fragment as the applicant types (htmx): the rules applied to the facts
    in the form, nothing saved."""
    application = get_or_404(queries.applications_of(request.user), pk)
    form = _form(application, request.POST)
    form.is_valid()
    facts = None
    if form.facts:
        cleaned = form.cleaned_data
        facts = {
            "citizenships": [
                code
                for code in (cleaned.get("citizenship"), cleaned.get("second_citizenship"))
                if code
            ],
            "birth_date": cleaned.get("birth_date"),
            "class_year": cleaned.get("class_year"),
        }
    return render(
        request, "calls/_eligibility.html", {"eligibility": eligibility_rows(application, facts)}
    )


@allow(signed_in)
@require_POST
def application_referee(request: HttpRequest, pk: int) -> HttpResponse:
    """Name a referee (they are e-mailed their link), take one back, or send the link again."""
    application = get_or_404(queries.applications_of(request.user), pk)
    action = request.POST.get("action", "add")
    try:
        if action in ("remove", "resend"):
            chosen = request.POST.get("referee", "")
            if not chosen.isdigit():
                raise Http404
            referee = get_or_404(application.referees.all(), int(chosen))
            if action == "remove":
                services.remove_referee(actor=request.user, referee=referee)
                messages.success(request, _("The referee is removed."))
            else:
                _check_open_for(application)
                services.request_letter(actor=request.user, referee=referee)
                messages.success(request, _("The link is sent again."))
            return redirect("calls:application", pk=application.pk)
        form = RefereeForm(request.POST)
        if not form.is_valid():
            return _page(request, application, _form(application), referee_form=form, status=400)
        services.add_referee(actor=request.user, application=application, **form.cleaned_data)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The referee is e-mailed a link to upload a letter."))
    return redirect("calls:application", pk=application.pk)


def _check_open_for(application: Application) -> None:
    if application.submitted:
        raise ValidationError(_("This application is submitted; it can no longer be changed."))
    services.check_open(application.call)


@public
def referee_letter(request: HttpRequest, token: str) -> HttpResponse:
    """A referee's page, opened by the e-mailed link: upload (or replace) the letter."""
    try:
        referee = services.referee_for(token)
    except services.RefereeLinkRefused as refused:
        return render(request, "calls/referee_refused.html", {"why": refused.why}, status=404)
    form = LetterForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.upload_letter(referee=referee, file=form.cleaned_data["letter"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you: your letter has arrived."))
                return redirect("calls:referee", token=token)
        status = 400
    application = referee.application
    return render(
        request,
        "calls/referee.html",
        {
            "referee": referee,
            "call": application.call,
            "form": form,
            "applicant": f"{application.given_name} {application.family_name}".strip()
            or application.applicant,
        },
        status=status,
    )


@allow(is_officer)
@require_safe
def application_letter(request: HttpRequest, pk: int, referee_pk: int) -> FileResponse:
    """A referee's letter, for the officers of the call's office (never for the applicant)."""
    application = get_or_404(
        Application.objects.filter(call__in=queries.calls_managed_by(request.user)), pk
    )
    referee = get_or_404(application.referees.exclude(letter=""), referee_pk)
    return download(referee.letter.name, referee.download_name)


@allow(signed_in)
@require_POST
def application_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_or_404(queries.applications_of(request.user), pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("calls:application", pk=application.pk)
    kind, _sep, item_pk = form.cleaned_data["item"].partition("-")
    target: dict[str, Any] = {}
    if kind == "document" and item_pk.isdigit():
        target["document"] = application.call.documents.filter(pk=int(item_pk)).first()
    elif kind == "question" and item_pk.isdigit():
        target["question"] = application.call.questions.filter(
            pk=int(item_pk), kind=QuestionKind.FILE
        ).first()
    if not any(target.values()):
        raise Http404
    try:
        services.upload_file(
            actor=request.user, application=application, file=form.cleaned_data["file"], **target
        )
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The file is uploaded."))
    return redirect("calls:application", pk=application.pk)


@allow(signed_in)
@require_safe
def application_file(request: HttpRequest, pk: int, upload_pk: int) -> FileResponse:
    """A file of an application, for its applicant and the call's office; else 404."""
    upload = get_or_404(
        queries.uploads_readable_by(request.user).filter(application_id=pk), upload_pk
    )
    return download(upload.file.name, upload.original_name)


# The officer's pages


@allow(is_officer)
@require_safe
def manage_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "calls/manage_list.html", {"calls": queries.calls_managed_by(request.user)}
    )


@allow(is_officer)
def manage_create(request: HttpRequest) -> HttpResponse:
    editions = editions_managed_by(request.user).filter(call__isnull=True)
    form = CallForm(request.POST or None, editions=editions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        edition = data.pop("edition")
        try:
            call = services.create_call(actor=request.user, edition=edition, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The call is created."))
            return redirect("calls:manage", pk=call.pk)
    return render(
        request, "calls/manage_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _managed(request: HttpRequest, pk: int) -> Call:
    return get_or_404(queries.calls_managed_by(request.user), pk)


@allow(is_officer)
def manage_call(request: HttpRequest, pk: int) -> HttpResponse:
    call = _managed(request, pk)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("calls:manage", pk=call.pk)
    call.refresh_from_db()
    return render(
        request,
        "calls/manage_call.html",
        {
            "call": call,
            "form": form,
            "question_form": QuestionForm(prefix="q"),
            "document_form": DocumentForm(prefix="d"),
            "applications": call.applications.select_related("applicant"),
        },
        status=400 if form.errors else 200,
    )


@allow(is_officer)
@require_POST
def manage_add_question(request: HttpRequest, pk: int) -> HttpResponse:
    call = _managed(request, pk)
    form = QuestionForm(request.POST, prefix="q")
    _add(request, form, lambda data: services.add_question(actor=request.user, call=call, **data))
    return redirect("calls:manage", pk=call.pk)


@allow(is_officer)
@require_POST
def manage_add_document(request: HttpRequest, pk: int) -> HttpResponse:
    call = _managed(request, pk)
    form = DocumentForm(request.POST, prefix="d")
    _add(request, form, lambda data: services.add_document(actor=request.user, call=call, **data))
    return redirect("calls:manage", pk=call.pk)


def _add(request: HttpRequest, form: Any, action: Any) -> None:
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Added to the form."))


@allow(is_officer)
@require_POST
def manage_remove_question(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    call = _managed(request, pk)
    question = get_or_404(call.questions.all(), question_pk)
    step = confirmation_step(
        request,
        title=_("Remove the question “%(question)s”?") % {"question": question.label},
        consequence=_("Applicants no longer see it on the form. This cannot be undone."),
        action=_("Remove the question"),
        cancel_url=reverse("calls:manage", args=[call.pk]),
    )
    if step is not None:
        return step
    services.remove_question(actor=request.user, question=question)
    messages.success(request, _("The question is removed."))
    return redirect("calls:manage", pk=call.pk)


@allow(is_officer)
@require_POST
def manage_remove_document(request: HttpRequest, pk: int, required_pk: int) -> HttpResponse:
    call = _managed(request, pk)
    document = get_or_404(call.documents.all(), required_pk)
    step = confirmation_step(
        request,
        title=_("Remove the document “%(document)s”?") % {"document": document.name},
        consequence=_(
            "Applicants are no longer asked for it, and the files uploaded for it "
            "are deleted. This cannot be undone."
        ),
        action=_("Remove the document"),
        cancel_url=reverse("calls:manage", args=[call.pk]),
    )
    if step is not None:
        return step
    services.remove_document(actor=request.user, document=document)
    messages.success(request, _("The document is removed."))
    return redirect("calls:manage", pk=call.pk)
