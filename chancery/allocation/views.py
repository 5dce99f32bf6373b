"""Allocation pages: rounds of an edition, a round (hosts, preview, commit), explanations."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chancery.accounts.access import has_role, is_officer
from chancery.accounts.models import Role
from chancery.allocation import queries, services
from chancery.allocation.forms import (
    CapacityForm,
    ChoicesForm,
    HostForm,
    ImportForm,
    RoundForm,
)
from chancery.allocation.models import Round, RoundStatus
from chancery.core.access import allow, signed_in
from chancery.core.forms import add_service_errors
from chancery.core.views_support import get_or_404, report_errors
from chancery.programmes.models import Edition, Enrolment
from chancery.programmes.queries import programmes_managed_by, programmes_read_by

reads_office = has_role(Role.OFFICER, Role.VIEWER)


@allow(reads_office)
def round_list(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_or_404(Edition.objects.filter(programme__in=programmes_read_by(request.user))
                   .select_related("programme"), pk)
    manageable = programmes_managed_by(request.user).filter(pk=edition.programme_id).exists()
    form = RoundForm(request.POST or None) if manageable else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                round = services.create_round(actor=request.user, edition=edition,
                                              **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The round is created: add its hosts."))
                return redirect("allocation:round", pk=round.pk)
    return render(request, "allocation/round_list.html", {
        "edition": edition,
        "rounds": queries.rounds_read_by(request.user).filter(edition=edition),
        "form": form,
    }, status=422 if request.method == "POST" else 200)


@allow(reads_office)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_or_404(queries.rounds_read_by(request.user), pk)
    manageable = queries.rounds_managed_by(request.user).filter(pk=pk).exists()
    hosts = list(round.hosts.select_related("organisation"))
    editable = manageable and round.status != RoundStatus.COMMITTED
    return render(request, "allocation/round_detail.html", {
        "round": round,
        "manageable": manageable,
        "editable": editable,
        "hosts": hosts,
        "seats": sum(host.capacity for host in hosts),
        "preference_count": round.preferences.count(),
        "applicant_count": len(services.applicants_of(round)),
        "preferring": round.preferences.values("enrolment").distinct().count(),
        "host_form": HostForm() if editable else None,
        "statistics": queries.statistics(round),
        "stability": queries.stability_problems(round),
        "assignments": queries.assignments(round),
        "draw": round.tie_break_draw,
    })


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
    return _act(request, pk, services.run_round,
                _("The preview is ready and stable. Nothing is placed until you commit."))


@allow(is_officer)
@require_POST
def round_commit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.commit_round,
                _("The round is committed: the applicants are placed."))


@allow(is_officer)
@require_POST
def round_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.rollback_round,
                _("The round is rolled back: its placements are cancelled."))


@allow(is_officer)
@require_POST
def round_tie_break(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    try:
        draw = services.prepare_tie_break_draw(actor=request.user, round=round)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("allocation:round", pk=pk)
    messages.success(request, _("A tie-break draw is prepared: name its sources, announce it "
                                "and conduct it."))
    return redirect("draws:edit", pk=draw.pk)


@allow(is_officer)
@require_POST
def host_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed(request, pk)
    form = HostForm(request.POST)
    if form.is_valid():
        try:
            services.add_host(actor=request.user, round=round, **form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The host is added."))
    else:
        for name, errors in form.errors.items():
            messages.error(request, f"{form.fields[name].label}: {' '.join(errors)}")
    return redirect("allocation:round", pk=pk)


@allow(is_officer)
@require_POST
def host_capacity(request: HttpRequest, pk: int, host_pk: int) -> HttpResponse:
    round = _managed(request, pk)
    host = get_or_404(round.hosts.all(), host_pk)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            services.set_capacity(actor=request.user, host=host,
                                  capacity=form.cleaned_data["capacity"])
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
                actor=request.user, round=round, data=upload.read(), filename=upload.name,
                dry_run="commit" not in request.POST)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if result.written:
                messages.success(request, _("The file is imported (%(n)s rows).")
                                 % {"n": len(result.rows)})
                return redirect("allocation:round", pk=pk)
    failed = request.method == "POST" and (result is None or result.error_count > 0)
    return render(request, "allocation/import.html", {
        "round": round, "form": form, "result": result, "columns": services.IMPORT_COLUMNS,
    }, status=422 if failed else 200)


@allow(signed_in)
def my_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant ranks the round's hosts, best first, while the round is open."""
    round = get_or_404(Round.objects.select_related("edition"), pk)
    person_id = getattr(request.user, "person_id", None)
    if person_id is None:
        raise Http404
    enrolment = Enrolment.objects.filter(edition_id=round.edition_id, person_id=person_id).first()
    if enrolment is None:
        raise Http404
    hosts = round.hosts.select_related("organisation")
    chosen = [p.host for p in round.preferences.filter(enrolment=enrolment).order_by("rank")]
    form = ChoicesForm(request.POST or None, hosts=hosts, ranks=min(10, hosts.count()),
                       initial_hosts=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(actor=request.user, round=round, enrolment=enrolment,
                                     hosts=form.hosts())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("allocation:my_choices", pk=pk)
    return render(request, "allocation/my_choices.html", {
        "round": round, "form": form, "enrolment": enrolment,
        "open": round.status in (RoundStatus.DRAFT, RoundStatus.PREVIEWED),
    }, status=422 if request.method == "POST" else 200)


@allow(signed_in)
def explanation(request: HttpRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    round = get_or_404(Round.objects.select_related("edition__programme"), pk)
    enrolment = get_or_404(Enrolment.objects.select_related("person").filter(
        edition_id=round.edition_id), enrolment_pk)
    if not queries.explanation_visible_to(request.user, round, enrolment):
        raise Http404
    view = queries.explanation(round, enrolment)
    if view is None:
        raise Http404
    return render(request, "allocation/explanation.html", {
        "view": view, "round": round, "enrolment": enrolment,
        "officer": queries.rounds_read_by(request.user).filter(pk=pk).exists(),
    })
