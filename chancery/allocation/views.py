"""Allocation pages: rounds of an edition, a round (hosts, preview, commit), explanations.

A round of countries is ranked by the coordinators of the edition's schools (school_choices)
and explained per school (school_explanation).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chancery.accounts.access import is_coordinator, is_officer, reads_office
from chancery.allocation import queries, services
from chancery.allocation.forms import (
    CapacityForm,
    ChoicesForm,
    CountryHostForm,
    HostForm,
    ImportForm,
    RoundForm,
)
from chancery.allocation.models import Round, RoundKind, RoundStatus
from chancery.allocation.tasks import run_round
from chancery.core.access import allow, signed_in
from chancery.core.confirm import confirmation_step
from chancery.core.forms import add_service_errors
from chancery.core.jobs import start_job
from chancery.core.models import JobKind
from chancery.core.views_support import get_or_404, report_errors
from chancery.directory.models import Organisation
from chancery.programmes.models import Edition, Enrolment
from chancery.programmes.queries import programmes_managed_by, programmes_read_by

# Rounds with more choices than this are computed by a background job (`chancery db_worker`).
BACKGROUND_PREFERENCES = 20_000


@allow(reads_office)
def round_list(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_or_404(
        Edition.objects.filter(programme__in=programmes_read_by(request.user)).select_related(
            "programme"
        ),
        pk,
    )
    manageable = programmes_managed_by(request.user).filter(pk=edition.programme_id).exists()
    form = RoundForm(request.POST or None) if manageable else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                round = services.create_round(
                    actor=request.user, edition=edition, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The round is created: add its hosts."))
                return redirect("allocation:round", pk=round.pk)
    return render(
        request,
        "allocation/round_list.html",
        {
            "edition": edition,
            "rounds": queries.rounds_read_by(request.user).filter(edition=edition),
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


@allow(reads_office)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_or_404(queries.rounds_read_by(request.user), pk)
    manageable = queries.rounds_managed_by(request.user).filter(pk=pk).exists()
    hosts = list(round.hosts.select_related("organisation", "country"))
    editable = manageable and round.status != RoundStatus.COMMITTED
    countries = round.kind == RoundKind.COUNTRIES
    return render(
        request,
        "allocation/round_detail.html",
        {
            "round": round,
            "countries": countries,
            "manageable": manageable,
            "editable": editable,
            "hosts": hosts,
            "seats": sum(host.capacity for host in hosts),
            "preference_count": round.preferences.count(),
            "applicant_count": len(
                services.schools_of(round) if countries else services.applicants_of(round)
            ),
            "preferring": round.preferences.values("participation" if countries else "enrolment")
            .distinct()
            .count(),
            "host_form": (CountryHostForm() if countries else HostForm()) if editable else None,
            "statistics": queries.statistics(round),
            "stability": queries.stability_problems(round),
            "assignments": queries.assignments(round),
            "draw": round.tie_break_draw,
        },
    )


def _managed(request: HttpRequest, pk: int) -> Round:
    return get_or_404(queries.rounds_managed_by(request.user), pk)


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    round = _managed(request, pk)
    try:
        action(actor=request.user, round=round)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, done)
    return redirect("allocation:round", pk=pk)


@allow(is_officer)
@require_POST
def round_run(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    if round.preferences.count() > BACKGROUND_PREFERENCES:  # a big round: a background job
        job = start_job(
            run_round,
            kind=JobKind.ALLOCATION,
            owner=request.user,
            office=round.edition.programme.owner,
            title=_("Preview of %(round)s") % {"round": round.title},
            round_id=round.pk,
            user_id=request.user.pk,
        )
        return redirect("job", pk=job.pk)
    return _act(
        request,
        pk,
        services.run_round,
        _("The preview is ready and stable. Nothing is placed until you commit."),
    )


@allow(is_officer)
@require_POST
def round_commit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, services.commit_round, _("The round is committed: the applicants are placed.")
    )


@allow(is_officer)
@require_POST
def round_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    step = confirmation_step(
        request,
        title=_("Roll back “%(title)s”?") % {"title": round.title},
        consequence=_(
            "Every placement this round made is cancelled; the round stays on record "
            "as rolled back."
        ),
        action=_("Roll back the round"),
        cancel_url=reverse("allocation:round", args=[pk]),
    )
    if step is not None:
        return step
    return _act(
        request,
        pk,
        services.rollback_round,
        _("The round is rolled back: its placements are cancelled."),
    )


@allow(is_officer)
@require_POST
def round_tie_break(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    try:
        draw = services.prepare_tie_break_draw(actor=request.user, round=round)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("allocation:round", pk=pk)
    messages.success(
        request, _("A tie-break draw is prepared: name its sources, announce it and conduct it.")
    )
    return redirect("draws:edit", pk=draw.pk)


@allow(is_officer)
@require_POST
def host_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    countries = round.kind == RoundKind.COUNTRIES
    form = CountryHostForm(request.POST) if countries else HostForm(request.POST)
    if form.is_valid():
        try:
            add = services.add_country if countries else services.add_host
            add(actor=request.user, round=round, **form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The host is added."))
    else:
        for name, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[name].label}: {' '.join(str(error) for error in errors)}"
            )
    return redirect("allocation:round", pk=pk)


@allow(is_officer)
@require_POST
def host_capacity(request: HttpRequest, pk: int, host_pk: int) -> HttpResponse:
    round = _managed(request, pk)
    host = get_or_404(round.hosts.all(), host_pk)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            services.set_capacity(
                actor=request.user, host=host, capacity=form.cleaned_data["capacity"]
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The places are changed."))
    else:
        messages.error(request, _("Places: give a whole number, 0 or more."))
    return redirect("allocation:round", pk=pk)


@allow(is_officer)
def round_import(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_preferences(
                actor=request.user,
                round=round,
                data=upload.read(),
                filename=upload.name,
                dry_run="commit" not in request.POST,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if result.written:
                messages.success(
                    request, _("The file is imported (%(n)s rows).") % {"n": len(result.rows)}
                )
                return redirect("allocation:round", pk=pk)
    failed = request.method == "POST" and (result is None or result.error_count > 0)
    return render(
        request,
        "allocation/import.html",
        {
            "round": round,
            "form": form,
            "result": result,
            "columns": services.import_columns(round),
        },
        status=422 if failed else 200,
    )


@allow(signed_in)
def my_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant ranks the round's hosts, best first, while the round is open."""
    round = get_or_404(Round.objects.select_related("edition"), pk)
    if round.kind == RoundKind.COUNTRIES:
        schools = queries.schools_coordinated_by(request.user, round)
        if len(schools) == 1:
            return redirect("allocation:school_choices", pk=pk, school_pk=schools[0].pk)
        if schools:
            return redirect("allocation:school_rounds")
        raise Http404
    person_id = getattr(request.user, "person_id", None)
    if person_id is None:
        raise Http404
    enrolment = Enrolment.objects.filter(edition_id=round.edition_id, person_id=person_id).first()
    if enrolment is None:
        raise Http404
    hosts = round.hosts.select_related("organisation")
    chosen = [p.host for p in round.preferences.filter(enrolment=enrolment).order_by("rank")]
    form = ChoicesForm(
        request.POST or None, hosts=hosts, ranks=min(10, hosts.count()), initial_hosts=chosen
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(
                actor=request.user, round=round, enrolment=enrolment, hosts=form.hosts()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("allocation:my_choices", pk=pk)
    return render(
        request,
        "allocation/my_choices.html",
        {
            "round": round,
            "form": form,
            "enrolment": enrolment,
            "open": round.status in (RoundStatus.DRAFT, RoundStatus.PREVIEWED),
        },
        status=422 if request.method == "POST" else 200,
    )


@allow(signed_in)
def explanation(request: HttpRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    round = get_or_404(Round.objects.select_related("edition__programme"), pk)
    enrolment = get_or_404(
        Enrolment.objects.select_related("person").filter(edition_id=round.edition_id), enrolment_pk
    )
    if not queries.explanation_visible_to(request.user, round, enrolment):
        raise Http404
    view = queries.explanation(round, enrolment)
    if view is None:
        raise Http404
    return render(
        request,
        "allocation/explanation.html",
        {
            "view": view,
            "round": round,
            "enrolment": enrolment,
            "officer": queries.rounds_read_by(request.user).filter(pk=pk).exists(),
        },
    )


# Rounds of countries: a school's coordinator ranks the Model UN countries


@allow(is_coordinator)
def school_rounds(request: HttpRequest) -> HttpResponse:
    """The rounds of countries where the user coordinates a school."""
    return render(
        request,
        "allocation/school_rounds.html",
        {
            "rows": queries.country_rounds_for_coordinator(request.user),
        },
    )


def _school_of(request: HttpRequest, round: Round, school_pk: int) -> Organisation:
    """A school of the round the user coordinates (officers of the round too), or 404."""
    schools = {school.pk: school for school in queries.schools_coordinated_by(request.user, round)}
    if school_pk in schools:
        return schools[school_pk]
    if queries.rounds_managed_by(request.user).filter(pk=round.pk).exists():
        participation = services.participation_of(
            round, get_or_404(Organisation.objects.all(), school_pk)
        )
        if participation is not None:
            return participation.organisation
    raise Http404


@allow(signed_in)
def school_choices(request: HttpRequest, pk: int, school_pk: int) -> HttpResponse:
    """A school's coordinator ranks the round's countries, best first, while it is open."""
    round = get_or_404(Round.objects.select_related("edition").filter(kind=RoundKind.COUNTRIES), pk)
    school = _school_of(request, round, school_pk)
    hosts = round.hosts.select_related("country").order_by("country__name_en")
    chosen = [
        p.host
        for p in round.preferences.filter(participation__organisation=school)
        .select_related("host__country")
        .order_by("rank")
    ]
    form = ChoicesForm(
        request.POST or None, hosts=hosts, ranks=min(10, hosts.count()), initial_hosts=chosen
    )
    is_open = round.status in (RoundStatus.DRAFT, RoundStatus.PREVIEWED)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.set_school_preferences(
                actor=request.user, round=round, school=school, hosts=form.hosts()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The school's choices are saved."))
            return redirect("allocation:school_choices", pk=pk, school_pk=school.pk)
    elif request.method == "POST" and not is_open:
        form.add_error(None, _("This round is closed: the choices can no longer change."))
    return render(
        request,
        "allocation/school_choices.html",
        {
            "round": round,
            "form": form,
            "school": school,
            "open": is_open,
        },
        status=422 if request.method == "POST" else 200,
    )


@allow(signed_in)
def school_explanation(request: HttpRequest, pk: int, school_pk: int) -> HttpResponse:
    round = get_or_404(
        Round.objects.select_related("edition__programme").filter(kind=RoundKind.COUNTRIES), pk
    )
    school = get_or_404(Organisation.objects.all(), school_pk)
    if not queries.school_explanation_visible_to(request.user, round, school):
        raise Http404
    view = queries.school_explanation(round, school)
    if view is None:
        raise Http404
    return render(
        request,
        "allocation/explanation.html",
        {
            "view": view,
            "round": round,
            "school": school,
            "officer": queries.rounds_read_by(request.user).filter(pk=pk).exists(),
        },
    )
