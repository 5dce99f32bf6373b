"""Selection pages: the committee's set-up, a reviewer's reviews, and the officer's ranking."""

import dataclasses
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chancery.accounts.access import is_officer, reviews_applications
from chancery.accounts.models import User
from chancery.calls import queries as calls
from chancery.core.access import allow
from chancery.core.pagination import page_of
from chancery.core.views_support import download, get_or_404
from chancery.programmes.queries import editions_managed_by
from chancery.reports import exports
from chancery.selection import queries, services
from chancery.selection.models import Panel

PER_PAGE = 50


def _errors(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("%(field)s: give a whole number.") % {"field": field}}
        ) from None


def _panel(request: HttpRequest, edition_pk: int) -> tuple[Any, Panel | None]:
    edition = get_or_404(editions_managed_by(request.user).select_related("programme"), edition_pk)
    return edition, Panel.objects.filter(edition=edition).first()


@allow(is_officer)
def index(request: HttpRequest) -> HttpResponse:
    """The editions the officer runs, with their committees' progress."""
    editions = (
        editions_managed_by(request.user)
        .exclude(programme__kind="outreach")
        .select_related("programme", "panel")
        .order_by("-year", "name")
    )
    page = page_of(editions, request.GET.get("page"), PER_PAGE)
    return render(request, "selection/index.html", {"page": page})


@allow(is_officer)
def setup(request: HttpRequest, edition_pk: int) -> HttpResponse:
    """The committee, the rubric and the assignment of the applications."""
    edition, panel = _panel(request, edition_pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "scale" or panel is None:
                panel = services.set_up(
                    actor=request.user,
                    edition=edition,
                    scale_min=_int(request.POST.get("scale_min", 1), "scale_min"),
                    scale_max=_int(request.POST.get("scale_max", 5), "scale_max"),
                    disagreement=_int(request.POST.get("disagreement", 2), "disagreement"),
                )
                if action == "scale":
                    messages.success(request, _("The committee's scale is saved."))
            if action == "reviewer":
                username = request.POST.get("username", "").strip()
                user = User.objects.filter(username=username).first()
                if user is None:
                    raise ValidationError(
                        {
                            "username": _("No account is called %(name)s.")
                            % {"name": username or "—"}
                        }
                    )
                services.add_reviewer(actor=request.user, panel=panel, user=user)
                messages.success(request, _("%(name)s sits on the committee.") % {"name": username})
            elif action == "remove_reviewer":
                reviewer = get_or_404(
                    panel.reviewers.all(), _int(request.POST.get("reviewer"), "reviewer")
                )
                services.remove_reviewer(actor=request.user, reviewer=reviewer)
                messages.success(request, _("The reviewer has left the committee."))
            elif action == "criterion":
                services.add_criterion(
                    actor=request.user,
                    panel=panel,
                    name_en=request.POST.get("name_en", ""),
                    name_ru=request.POST.get("name_ru", ""),
                    name_kk=request.POST.get("name_kk", ""),
                    weight=_int(request.POST.get("weight", 1), "weight"),
                )
                messages.success(request, _("The criterion is added."))
            elif action == "remove_criterion":
                criterion = get_or_404(
                    panel.criteria.all(), _int(request.POST.get("criterion"), "criterion")
                )
                services.remove_criterion(actor=request.user, criterion=criterion)
                messages.success(request, _("The criterion is removed."))
            elif action == "assign":
                raw = request.POST.get("per_application", "").strip()
                per = None if raw in ("", "all") else _int(raw, "per_application")
                count = services.assign(actor=request.user, panel=panel, per_application=per)
                messages.success(request, _("%(count)s reviews are assigned.") % {"count": count})
        except ValidationError as error:
            _errors(request, error)
        return redirect("selection:setup", edition_pk=edition.pk)
    return render(
        request,
        "selection/setup.html",
        {
            "edition": edition,
            "panel": panel,
            "reviewers": list(panel.reviewers.select_related("user")) if panel else [],
            "criteria": list(panel.criteria.all()) if panel else [],
            "figures": queries.panel_figures(panel) if panel else None,
        },
    )


def _ranking_columns() -> list[exports.Column]:
    return [
        (_("Rank"), "rank"),
        (_("Enrolment"), "enrolment_id"),
        (_("Applicant"), lambda row: str(row.enrolment.person)),
        (_("State"), lambda row: row.enrolment.get_state_display()),
        (_("Weighted score"), "score"),
        (_("Spread"), "spread"),
        (_("Reviews submitted"), "submitted"),
        (_("Reviews assigned"), "assigned"),
        (_("Shortlisted"), lambda row: _("yes") if row.shortlisted else _("no")),
        (_("Interview score"), "interview_score"),
        (_("Place in the tie-break draw"), "tie_break"),
    ]


def _ranked(rows: Any) -> Any:
    """Every row of the ranking with its record, read a chunk at a time."""
    chunk: list[dict[str, Any]] = []
    start = 1
    for row in rows.iterator(chunk_size=500):
        chunk.append(row)
        if len(chunk) == 500:
            yield from queries.with_records(chunk, start)
            start += len(chunk)
            chunk = []
    yield from queries.with_records(chunk, start)


@allow(is_officer)
def ranking(request: HttpRequest, edition_pk: int) -> HttpResponseBase:
    edition, panel = _panel(request, edition_pk)
    if panel is None:
        raise Http404
    shortlisted = request.GET.get("shortlisted") == "1"
    rows = queries.ranking(panel, shortlisted_only=shortlisted)
    fmt = request.GET.get("format")
    if fmt:
        if fmt not in exports.FORMATS:
            return HttpResponse(_("format: use csv or xlsx."), status=400)
        response = StreamingHttpResponse(
            exports.render(_ranked(rows), _ranking_columns(), fmt),
            content_type=exports.CONTENT_TYPES[fmt],
        )
        response["Content-Disposition"] = f'attachment; filename="ranking-{edition.pk}.{fmt}"'
        return response
    page = page_of(rows, request.GET.get("page"), PER_PAGE)
    items: list[Any] = queries.with_records(page.items, (page.number - 1) * PER_PAGE + 1)
    page = dataclasses.replace(page, items=items)
    for row in items:
        row.flagged = queries.is_disagreement(row, panel)
        row.missing = row.assigned - row.submitted
    return render(
        request,
        "selection/ranking.html",
        {
            "edition": edition,
            "panel": panel,
            "page": page,
            "shortlisted": shortlisted,
            "draw": panel.tie_break_draw,
            "conducted": services.tie_break_draw(panel),
            "figures": queries.panel_figures(panel),
        },
    )


@allow(is_officer)
@require_POST
def decide(request: HttpRequest, edition_pk: int) -> HttpResponse:
    """The officer's decisions on the ranking: shortlist, interview, select, tie-break."""
    edition, panel = _panel(request, edition_pk)
    if panel is None:
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action == "tie_break":
            draw = services.tie_break_draw(panel)
            if draw is None:
                raise ValidationError(
                    {"tie_break_draw": _("No ordering draw of this edition is conducted yet.")}
                )
            count = services.apply_tie_break(actor=request.user, panel=panel, draw=draw)
            messages.success(
                request,
                _("Ties are broken by draw #%(draw)s (%(count)s applications placed).")
                % {"draw": draw.pk, "count": count},
            )
        elif action == "close":
            if request.POST.get("confirm") != "yes":
                raise ValidationError(
                    {
                        "confirm": _(
                            "Tick the box to confirm: closing tells every applicant still under review "
                            "that they were not selected, and cannot be undone."
                        )
                    }
                )
            count = services.close(actor=request.user, panel=panel)
            messages.success(
                request,
                _("The selection is closed; %(count)s applicants are told they were not selected.")
                % {"count": count},
            )
        elif action == "prepare_draw":
            draw = services.prepare_tie_break_draw(actor=request.user, panel=panel)
            messages.success(
                request,
                _(
                    "The draft ordering draw is prepared: announce and "
                    "conduct it, then use it here."
                ),
            )
            return redirect("draws:detail", pk=draw.pk)
        else:
            candidacy = get_or_404(
                panel.candidacies.select_related("enrolment"),
                _int(request.POST.get("candidacy"), "candidacy"),
            )
            if action in ("shortlist", "unshortlist"):
                services.decide(
                    actor=request.user, candidacy=candidacy, shortlisted=action == "shortlist"
                )
                messages.success(request, _("The shortlist is saved."))
            elif action == "interview":
                try:
                    score = Decimal(request.POST.get("interview_score", ""))
                except InvalidOperation:
                    raise ValidationError(
                        {"interview_score": _("Interview score: give a number.")}
                    ) from None
                services.decide(
                    actor=request.user,
                    candidacy=candidacy,
                    interview_score=score,
                    interview_comment=request.POST.get("interview_comment", ""),
                )
                messages.success(request, _("The interview is recorded."))
            elif action == "select":
                services.select(actor=request.user, candidacy=candidacy)
                messages.success(
                    request,
                    _("%(name)s is selected and told so.") % {"name": candidacy.enrolment.person},
                )
            else:
                raise ValidationError({"action": _("Unknown action.")})
    except ValidationError as error:
        _errors(request, error)
    back = request.POST.get("page", "")
    url = reverse("selection:ranking", kwargs={"edition_pk": edition.pk})
    return redirect(f"{url}?page={back}" if back.isdigit() else url)


@allow(is_officer)
def interview(request: HttpRequest, edition_pk: int, candidacy_pk: int) -> HttpResponse:
    """Record an application's interview: a score per criterion of the rubric, and notes."""
    edition, panel = _panel(request, edition_pk)
    if panel is None:
        raise Http404
    candidacy = get_or_404(panel.candidacies.select_related("enrolment__person"), candidacy_pk)
    criteria = list(panel.criteria.all())
    status = 200
    if request.method == "POST":
        try:
            scores = {c.pk: _int(request.POST.get(f"interview_{c.pk}"), c.name) for c in criteria}
            services.decide(
                actor=request.user,
                candidacy=candidacy,
                interview_scores=scores,
                interview_comment=request.POST.get("interview_comment", ""),
            )
        except ValidationError as error:
            _errors(request, error)
            status = 422
        else:
            messages.success(request, _("The interview is recorded."))
            return redirect("selection:ranking", edition_pk=edition.pk)
    chosen = {int(k): v for k, v in candidacy.interview_scores.items()}
    return render(
        request,
        "selection/interview.html",
        {
            "edition": edition,
            "panel": panel,
            "candidacy": candidacy,
            "rows": [(c, chosen.get(c.pk)) for c in criteria],
            "scale": range(panel.scale_min, panel.scale_max + 1),
        },
        status=status,
    )


@allow(reviews_applications)
def my_reviews(request: HttpRequest) -> HttpResponse:
    reviews = queries.reviews_of(request.user)
    page = page_of(reviews, request.GET.get("page"), PER_PAGE)
    return render(request, "selection/my_reviews.html", {"page": page})


def _reviewed_application(request: HttpRequest, pk: int) -> Any:
    assignment = get_or_404(queries.reviews_of(request.user), pk)
    application = calls.application_of(assignment.candidacy.enrolment)
    if application is None:
        raise Http404
    return application


@allow(reviews_applications)
@require_safe
def review_file(request: HttpRequest, pk: int, upload_pk: int) -> Any:
    """A file of the application under review, for the reviewer it is assigned to."""
    application = _reviewed_application(request, pk)
    upload = get_or_404(application.uploads.all(), upload_pk)
    return download(upload.file.name, upload.original_name)


@allow(reviews_applications)
@require_safe
def review_letter(request: HttpRequest, pk: int, referee_pk: int) -> Any:
    """A referee's letter of the application under review, for its reviewer."""
    application = _reviewed_application(request, pk)
    referee = get_or_404(application.referees.exclude(letter=""), referee_pk)
    return download(referee.letter.name, referee.download_name)


@allow(reviews_applications)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Score one assigned application; the others' scores show once one's own is in."""
    assignment = get_or_404(queries.reviews_of(request.user), pk)
    panel = assignment.candidacy.panel
    criteria = list(panel.criteria.all())
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "conflict":
                services.declare_conflict(
                    actor=request.user, assignment=assignment, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request,
                    _("The conflict is declared; this application is no longer yours to review."),
                )
                return redirect("selection:my_reviews")
            scores = {
                c.pk: (
                    _int(request.POST.get(f"score_{c.pk}"), c.name),
                    request.POST.get(f"comment_{c.pk}", ""),
                )
                for c in criteria
            }
            services.submit_review(
                actor=request.user,
                assignment=assignment,
                scores=scores,
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("Your review is submitted."))
            return redirect("selection:review", pk=assignment.pk)
        except ValidationError as error:
            _errors(request, error)
            status = 422
    application = calls.application_of(assignment.candidacy.enrolment)
    return render(
        request,
        "selection/review.html",
        {
            "assignment": assignment,
            "panel": panel,
            "criteria": criteria,
            "enrolment": assignment.candidacy.enrolment,
            "application": application,
            "answers": calls.answers_of(application) if application else [],
            "items": calls.files_asked(application) if application else [],
            "referees": calls.referees_of(application) if application else [],
            "scale": range(panel.scale_min, panel.scale_max + 1),
            "mine": list(queries.scores_of(assignment)),
            "others": queries.other_scores(assignment),
        },
        status=status,
    )
