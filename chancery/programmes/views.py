"""Programme pages: programmes and editions, the enrolment lifecycle, supervision, reports."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chancery.accounts.access import (
    holds_a_role,
    is_officer,
    is_participant,
    is_supervisor,
    reads_office,
)
from chancery.accounts.models import User
from chancery.agreements.queries import agreements_visible_to, commitments_of
from chancery.core.access import allow, public, signed_in
from chancery.core.confirm import confirmation_step
from chancery.core.forms import add_service_errors, submit
from chancery.core.jobs import start_job
from chancery.core.models import JobKind
from chancery.core.pagination import page_of
from chancery.core.views_support import download, get_or_404, report_errors, require
from chancery.directory.queries import offices_of, people_editable_by
from chancery.draws.queries import draws_managed_by
from chancery.programmes import charts, queries, services, tasks, wording
from chancery.programmes.forms import (
    ApplyForm,
    EditionForm,
    EnrolForm,
    EvaluationForm,
    PlaceForm,
    ProgrammeForm,
    ReportUploadForm,
    RuleForm,
    StateForm,
    TestimonialForm,
)
from chancery.programmes.models import Edition, Enrolment, EnrolmentState, Programme, ProgrammeKind

# Programmes


@public
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": queries.programmes_visible_to(request.user),
            "can_create": is_officer(request.user),
        },
    )


@public
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_or_404(queries.programmes_visible_to(request.user), pk)
    manageable = queries.programmes_managed_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "manageable": manageable,
            "editions": queries.editions_of(programme),
            "rules": programme.eligibility_rules.select_related("from_agreement"),
            "rule_form": RuleForm(kinds=wording.kind_choices()) if manageable else None,
            "testimonials": queries.published_testimonials(programme),
            "today": timezone.localdate(),
        },
    )


def _programme_form(request: HttpRequest, programme: Programme | None) -> HttpResponse:
    form = ProgrammeForm(
        request.POST or None,
        instance=programme,
        offices=offices_of(request.user),
        agreements=agreements_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if programme is None:
                programme = services.create_programme(actor=request.user, **data)
            else:
                programme = services.update_programme(
                    actor=request.user, programme=programme, **data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("programmes:detail", pk=programme.pk)
    return render(
        request,
        "programmes/form.html",
        {
            "form": form,
            "title": _("Edit the programme") if programme else _("New programme"),
        },
        status=422 if request.method == "POST" else 200,
    )


@allow(is_officer)
def programme_create(request: HttpRequest) -> HttpResponse:
    return _programme_form(request, None)


@allow(is_officer)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _programme_form(request, get_or_404(queries.programmes_managed_by(request.user), pk))


@allow(is_officer)
@require_POST
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_or_404(queries.programmes_managed_by(request.user), pk)
    submit(
        request,
        RuleForm(request.POST, kinds=wording.kind_choices()),
        lambda data: services.add_rule(actor=request.user, programme=programme, **data),
        _("The rule is added."),
    )
    return redirect("programmes:detail", pk=pk)


@allow(is_officer)
@require_POST
def rule_edit(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    programme = get_or_404(queries.programmes_managed_by(request.user), pk)
    rule = get_or_404(programme.eligibility_rules.filter(retired_on__isnull=True), rule_pk)
    submit(
        request,
        RuleForm(request.POST, kinds=wording.kind_choices()),
        lambda data: services.update_rule(
            actor=request.user, rule=rule, params=data["params"], label=data["label"]
        ),
        _("The rule is changed."),
    )
    return redirect("programmes:detail", pk=pk)


@allow(is_officer)
@require_POST
def rule_retire(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    programme = get_or_404(queries.programmes_managed_by(request.user), pk)
    rule = get_or_404(programme.eligibility_rules.filter(retired_on__isnull=True), rule_pk)
    step = confirmation_step(
        request,
        title=_("Retire this eligibility rule?"),
        consequence=_(
            "New applications are no longer checked against it. It stays on record, "
            "marked retired today, with the decisions it took part in."
        ),
        action=_("Retire the rule"),
        cancel_url=reverse("programmes:detail", args=[pk]),
    )
    if step is not None:
        return step
    services.retire_rule(actor=request.user, rule=rule)
    messages.success(request, _("The rule is retired."))
    return redirect("programmes:detail", pk=pk)


@allow(is_officer)
def edition_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_or_404(queries.programmes_managed_by(request.user), pk)
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.create_edition(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The edition is open."))
            return redirect("programmes:edition", pk=edition.pk)
    return render(
        request,
        "programmes/form.html",
        {
            "form": form,
            "title": _("New edition of %(programme)s") % {"programme": programme},
        },
        status=422 if request.method == "POST" else 200,
    )


def _report_of(request: HttpRequest, pk: int) -> Programme:
    """A programme whose report the user reads: 404 when they cannot see the programme, 403
    when they can (programmes are public) but it is another office's."""
    programme = get_or_404(queries.programmes_visible_to(request.user), pk)
    require(queries.programmes_read_by(request.user).filter(pk=pk).exists())
    return programme


@allow(reads_office)
def programme_report(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _report_of(request, pk)
    report = queries.programme_report(programme)
    by_text = request.GET.get("by", "")
    by = (
        int(by_text)
        if by_text.isdigit() and 1990 <= int(by_text) <= 2100
        else (timezone.localdate().year)
    )
    return render(
        request,
        "programmes/report.html",
        {
            "report": report,
            "by": by,
            "completed_by": report.completed_by(by),
            "cumulative_chart": charts.bar_chart(
                report.cumulative_by_year, title=_("Completed, cumulative")
            ),
            "yearly_chart": charts.bar_chart(
                report.completions_by_year, title=_("Completed per year")
            ),
            "citizenship_chart": charts.horizontal_bars(
                report.by_citizenship, title=_("Completed by citizenship")
            ),
            "commitments": commitments_of(programme.agreements.all()),
            "pipeline": [
                (state, EnrolmentState(state).label, n) for state, n in report.pipeline.items()
            ],
        },
    )


PEOPLE_PER_PAGE = 50


def _number(value: str, low: int, high: int) -> int | None:
    return int(value) if value.isdigit() and low <= int(value) <= high else None


@allow(reads_office)
@require_safe
def programme_people(request: HttpRequest, pk: int) -> HttpResponse:
    """The people behind the report's figures: the programme's enrolments by state, edition,
    completion year, citizenship and host (each figure of the report links here)."""
    programme = _report_of(request, pk)
    get = request.GET
    state = get.get("state", "") if get.get("state", "") in EnrolmentState.values else ""
    filters: dict[str, Any] = {
        "state": state,
        "edition": _number(get.get("edition", ""), 1, 2**31),
        "completed_by": _number(get.get("completed_by", ""), 1990, 2100),
        "citizenship": get.get("citizenship", "")[:20],
        "host": _number(get.get("host", ""), 0, 2**31),
    }
    rows = queries.programme_people(programme, request.user, **filters)
    page = page_of(rows, get.get("page"), PEOPLE_PER_PAGE)
    query = {k: v for k, v in get.items() if k != "page" and v}
    return render(
        request,
        "programmes/people.html",
        {
            "programme": programme,
            "page": page,
            "filters": filters,
            "query": query,
            "states": EnrolmentState.choices,
            "editions": programme.editions.order_by("-year", "name"),
        },
    )


@allow(reads_office)
def programme_report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from chancery.reports import exports  # upward: named in pyproject's [tool.importlinter]

    programme = _report_of(request, pk)
    if fmt not in exports.FORMATS:
        raise Http404
    rows = queries.report_rows(queries.programme_report(programme))
    columns = [
        ("section", lambda row: row[0]),
        ("item", lambda row: row[1]),
        ("value", lambda row: row[2]),
    ]
    response = HttpResponse(
        b"".join(exports.render(rows, columns, fmt)), content_type=exports.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="programme-{programme.pk}-report.{fmt}"'
    )
    return response


@allow(reads_office)
def data_quality(request: HttpRequest) -> HttpResponse:
    return render(
        request, "programmes/data_quality.html", {"quality": queries.data_quality(request.user)}
    )


# Editions and enrolments


def _pairing_draws(edition: Edition) -> tuple[Any, list[tuple[Any, str]]]:
    """The draw the edition's pairings come from (None before any) and each pairing draw with
    what the page offers for it: "current" (its pairings are the edition's), "apply" (conducted,
    and the edition is not paired yet), "replace" (a conducted re-draw of the current draw) or
    "" (nothing to do: in preparation, or a draw the pairings no longer come from)."""
    current = edition.pairings.select_related("draw").first()
    paired_by = current.draw if current is not None else None
    rows = []
    for draw in edition.draws.filter(kind="pair").order_by("-created_at", "-pk"):
        if paired_by is not None and draw.pk == paired_by.pk:
            action = "current"
        elif draw.status != "conducted":
            action = ""
        elif paired_by is None:
            action = "apply"
        else:
            action = "replace" if draw.redraw_of_id == paired_by.pk else ""
        rows.append((draw, action))
    return paired_by, rows


@allow(holds_a_role)
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The office sees the enrolments; a school, an embassy, a participant, a supervisor or a
    chair of the edition sees its dates, organisations and pairings (and their own)."""
    edition = get_or_404(queries.editions_visible_to(request.user), pk)
    readable = queries.programmes_read_by(request.user).filter(pk=edition.programme_id).exists()
    state = request.GET.get("state", "")
    need = request.GET.get("needs", "")
    enrolments = (
        edition.enrolments.all()
        if readable
        else edition.enrolments.filter(
            pk__in=queries.enrolments_visible_to(request.user).values("pk")
        )
    )
    enrolments = queries.enrolment_list(enrolments)
    if state in EnrolmentState.values:
        enrolments = enrolments.filter(state=state)
    if need in queries.NEEDS:
        enrolments = queries.needing(enrolments, need)
    manageable = queries.programmes_managed_by(request.user).filter(pk=edition.programme_id)
    outreach = edition.programme.kind == ProgrammeKind.OUTREACH
    season: dict[str, Any] = {}
    if outreach:
        from chancery.events.queries import (
            season_summary,  # upward: named in pyproject's [tool.importlinter]
        )
        from chancery.events.views import edition_links
        from chancery.mun.queries import conferences_of

        paired_by, pairing_draws = _pairing_draws(edition)
        # Its pupils take part through their schools: what it has is counted instead of
        # enrolments, with its events' pages and its Model UN final.
        season = {
            "summary": season_summary(edition),
            "links": edition_links(request.user, edition),
            "conferences": conferences_of(edition, request.user),
            "paired_by": paired_by,
            "pairing_draws": pairing_draws,
        }
    return render(
        request,
        "programmes/edition_detail.html",
        {
            "edition": edition,
            "rules": queries.active_rules(edition.programme, edition.starts_on),
            "readable": readable,
            "enrolments": enrolments,
            "state": state,
            "need": need if need in queries.NEEDS else "",
            "outreach": outreach,
            "season": season,
            "states": EnrolmentState.choices,
            "enrol_form": EnrolForm(people=people_editable_by(request.user))
            if manageable.exists() and not outreach
            else None,
            "selection_draws": queries.selection_draws(edition)
            if manageable.exists() and not outreach
            else [],
            "manageable": manageable.exists(),
            "participations": edition.participations.select_related("organisation", "contact"),
            "pairings": edition.pairings.select_related("school", "embassy", "draw"),
        },
    )


@allow(is_officer)
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_or_404(queries.editions_managed_by(request.user), pk)
    form = EnrolForm(request.POST, people=people_editable_by(request.user))
    if form.is_valid():
        try:
            enrolment = services.apply(
                actor=request.user,
                edition=edition,
                person=form.cleaned_data["person"],
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(
                request,
                _("%(person)s is enrolled: %(state)s.")
                % {"person": enrolment.person, "state": enrolment.get_state_display()},
            )
    else:
        messages.error(request, _("Choose a person."))
    return redirect("programmes:edition", pk=pk)


@allow(is_officer)
@require_POST
def edition_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue and draw every certificate of the edition, in a background job (a ZIP of PDFs)."""
    edition = _managed_edition(request, pk)
    language = (translation.get_language() or "en")[:2]
    job = start_job(
        tasks.edition_certificates,
        kind=JobKind.CERTIFICATES,
        owner=request.user,
        office=edition.programme.owner,
        title=_("Certificates of %(edition)s") % {"edition": edition},
        edition_id=edition.pk,
        user_id=request.user.pk,
        base_url=request.build_absolute_uri("/"),
        language=language,
    )
    return redirect("job", pk=job.pk)


def _managed_edition(request: HttpRequest, pk: int) -> Edition:
    return get_or_404(queries.editions_managed_by(request.user), pk)


def _prepare_draw(request: HttpRequest, pk: int, prepare: Any, done: str) -> HttpResponse:
    """Prepare one of the edition's draws, then let the officer name its sources."""
    edition = _managed_edition(request, pk)
    try:
        draw = prepare(actor=request.user, edition=edition)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("programmes:edition", pk=pk)
    messages.success(request, done)
    return redirect("draws:edit", pk=draw.pk)


def _apply_draw(request: HttpRequest, pk: int, apply: Any, done: str) -> HttpResponse:
    """Apply the result of one of the edition's conducted draws."""

    edition = _managed_edition(request, pk)
    draw_id = request.POST.get("draw", "")
    draw = (
        draws_managed_by(request.user)
        .filter(edition=edition, pk=int(draw_id) if draw_id.isdigit() and len(draw_id) < 19 else 0)
        .first()
    )
    if draw is None:
        raise Http404
    try:
        applied = apply(actor=request.user, edition=edition, draw=draw)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, done % {"n": len(applied)})
    return redirect("programmes:edition", pk=pk)


@allow(is_officer)
@require_POST
def selection_draw(request: HttpRequest, pk: int) -> HttpResponse:
    return _prepare_draw(
        request,
        pk,
        services.prepare_selection_draw,
        _("A selection draw is prepared: name its sources and announce."),
    )


@allow(is_officer)
@require_POST
def apply_selection_draw(request: HttpRequest, pk: int) -> HttpResponse:
    return _apply_draw(
        request, pk, services.select_by_draw, _("%(n)s applicants are selected by the draw.")
    )


@allow(is_officer)
@require_POST
def pairing_draw(request: HttpRequest, pk: int) -> HttpResponse:
    return _prepare_draw(
        request,
        pk,
        services.prepare_pairing_draw,
        _("A pairing draw is prepared: name its sources and announce."),
    )


@allow(is_officer)
@require_POST
def apply_pairing_draw(request: HttpRequest, pk: int) -> HttpResponse:
    return _apply_draw(
        request, pk, services.pair_by_draw, _("%(n)s pairings are created from the draw.")
    )


@allow(signed_in)
def my_programmes(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    today = timezone.localdate()
    return render(
        request,
        "programmes/mine.html",
        {
            "enrolments": queries.enrolment_list(Enrolment.objects.filter(person=person))
            if person
            else [],
            "open_editions": queries.open_editions(today).exclude(enrolments__person=person)
            if person
            else [],
            "rounds": queries.allocation_rounds_of(person) if person else [],
            "supervised": queries.placements_supervised_by(request.user).select_related(
                "enrolment__person", "enrolment__edition__programme", "evaluation"
            ),
        },
    )


@allow(is_participant)
def apply_page(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_or_404(queries.editions_open_to(request.user, timezone.localdate()), pk)
    user = request.user
    # allow() admits signed-in users only, and editions_open_to() none without a person record
    assert isinstance(user, User) and user.person is not None
    person = user.person
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.apply(
                actor=request.user,
                edition=edition,
                person=person,
                motivation=form.cleaned_data["motivation"],
                preferred_host=form.cleaned_data["preferred_host"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your application is received."))
            return redirect("programmes:enrolment", pk=enrolment.pk)
    return render(
        request,
        "programmes/form.html",
        {
            "form": form,
            "title": _("Apply to %(edition)s") % {"edition": edition},
        },
        status=422 if request.method == "POST" else 200,
    )


@allow(signed_in)
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_or_404(queries.enrolment_list(queries.enrolments_visible_to(request.user)), pk)
    manageable = queries.enrolments_managed_by(request.user).filter(pk=pk).exists()
    own = enrolment.person_id == getattr(request.user, "person_id", None)
    supervised = queries.placements_supervised_by(request.user).filter(enrolment=enrolment)
    placement = supervised.filter(evaluation__isnull=True).first()
    testimonial = getattr(enrolment, "testimonial", None)
    version = services.current_version(enrolment) if manageable else None
    return render(
        request,
        "programmes/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "manageable": manageable,
            "own": own,
            "placements": enrolment.placements.select_related(
                "host", "department", "supervisor", "evaluation"
            ),
            "certificate": getattr(enrolment, "certificate", None),
            "testimonial": testimonial,
            "state_form": StateForm(initial={"version": version}) if manageable else None,
            "place_form": PlaceForm(
                initial={"start": enrolment.edition.starts_on, "version": version}
            )
            if manageable and enrolment.state == EnrolmentState.SELECTED
            else None,
            "evaluation_form": EvaluationForm() if placement else None,
            "evaluated_placement": placement,
            "final_reports": queries.final_reports_readable_by(request.user)
            .filter(enrolment=enrolment)
            .order_by("-uploaded_at"),
            "report_form": ReportUploadForm() if own else None,
            "testimonial_form": TestimonialForm(
                initial={
                    "text": testimonial.text if testimonial else "",
                    "language": testimonial.language if testimonial else translation.get_language(),
                    "publish": bool(
                        testimonial
                        and testimonial.consent
                        and testimonial.consent.withdrawn_on is None
                    ),
                }
            )
            if own
            else None,
        },
    )


@allow(is_officer)
@require_POST
def enrolment_state(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_or_404(queries.enrolments_managed_by(request.user), pk)
    submit(
        request,
        StateForm(request.POST),
        lambda data: services.change_state(actor=request.user, enrolment=enrolment, **data),
        _("The enrolment is updated."),
    )
    return redirect("programmes:enrolment", pk=pk)


@allow(is_officer)
@require_POST
def enrolment_place(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_or_404(queries.enrolments_managed_by(request.user), pk)
    submit(
        request,
        PlaceForm(request.POST),
        lambda data: services.place(actor=request.user, enrolment=enrolment, **data),
        _("The participant is placed."),
    )
    return redirect("programmes:enrolment", pk=pk)


@allow(is_officer)
@require_POST
def enrolment_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_or_404(queries.enrolments_managed_by(request.user), pk)
    try:
        services.issue_certificate(actor=request.user, enrolment=enrolment)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The certificate is issued."))
    return redirect("programmes:enrolment", pk=pk)


@allow(is_supervisor)
@require_POST
def enrolment_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_or_404(
        queries.placements_supervised_by(request.user).filter(evaluation__isnull=True), pk
    )
    form = EvaluationForm(request.POST)
    if form.is_valid():
        user = request.user
        # allow() admits signed-in users only, and placements_supervised_by() is empty for a
        # user without a person record
        assert isinstance(user, User) and user.person is not None
        try:
            services.evaluate(
                actor=request.user,
                placement=placement,
                evaluator=user.person,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Thank you: the evaluation is recorded."))
    else:
        messages.error(request, _("Give a score from 1 to 5 for every criterion."))
    return redirect("programmes:enrolment", pk=placement.enrolment_id)


def _own_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    """The signed-in participant's own enrolment, or 404."""
    person_id = getattr(request.user, "person_id", None)
    if person_id is None:
        raise Http404
    return get_or_404(Enrolment.objects.filter(person_id=person_id), pk)


@allow(signed_in)
@require_POST
def enrolment_report(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    submit(
        request,
        ReportUploadForm(request.POST, request.FILES),
        lambda data: services.upload_final_report(actor=request.user, enrolment=enrolment, **data),
        _("Your report is uploaded."),
    )
    return redirect("programmes:enrolment", pk=pk)


@allow(signed_in)
@require_safe
def enrolment_report_file(request: HttpRequest, pk: int, report_pk: int) -> FileResponse:
    """An enrolment's final report, for those final_reports_readable_by allows; else 404."""
    report = get_or_404(
        queries.final_reports_readable_by(request.user).filter(enrolment_id=pk), report_pk
    )
    return download(report.file.name, report.filename)


@allow(signed_in)
@require_POST
def enrolment_testimonial(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    form = TestimonialForm(request.POST)
    if form.is_valid():
        try:
            testimonial = services.write_testimonial(
                actor=request.user,
                enrolment=enrolment,
                text=form.cleaned_data["text"],
                publish=form.cleaned_data["publish"],
                language=form.cleaned_data["language"],
            )
            if not form.cleaned_data["publish"]:
                services.unpublish_testimonial(actor=request.user, testimonial=testimonial)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Your testimonial is saved."))
    else:
        messages.error(request, _("Write the testimonial."))
    return redirect("programmes:enrolment", pk=pk)
