"""Model UN pages: conferences, the chair's console, the projector and the minutes.

The console and the projector poll a small `live` view every half second with the version they
show; it answers 204 (nothing to do) until the session changes, then the fresh state. Served
over ASGI, the projector is pushed each change instead (server-sent events, `mun.live`).
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chancery.accounts.access import is_officer, organisations_where
from chancery.accounts.models import Role
from chancery.core.access import allow, public
from chancery.core.forms import add_service_errors, submit
from chancery.core.views_support import get_or_404, report_errors, require
from chancery.directory.queries import people_visible_to
from chancery.mun import live, queries, services
from chancery.mun.access import reads_mun, runs_sessions
from chancery.mun.forms import CommitteeForm, ConferenceForm, DraftForm, MotionForm, OfficerForm
from chancery.mun.models import Committee, Conference, Session
from chancery.programmes.models import Edition, ProgrammeKind


def _int(data: Any, name: str) -> int | None:
    text = str(data.get(name) or "")
    return int(text) if text.isdigit() and len(text) < 10 else None


def _required(data: Any, name: str) -> int:
    value = _int(data, name)
    if value is None:
        raise ValidationError({name: _("Give a whole number.")})
    return value


# Conferences


@allow(reads_mun)
def conference_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mun/conference_list.html",
        {
            "conferences": queries.conferences_visible_to(request.user),
            "can_create": is_officer(request.user),
        },
    )


def _editions(user: Any) -> Any:
    editions = Edition.objects.filter(programme__kind=ProgrammeKind.OUTREACH).select_related(
        "programme"
    )
    return (
        editions
        if user.is_superuser
        else editions.filter(programme__owner__in=organisations_where(user, Role.OFFICER))
    )


@allow(is_officer)
def conference_create(request: HttpRequest) -> HttpResponse:
    editions = _editions(request.user)
    form = ConferenceForm(request.POST or None, editions=editions)
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.create_conference(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Conference created."))
            return redirect("mun:conference", pk=conference.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "mun/conference_form.html", {"form": form}, status=status)


def _conference(request: HttpRequest, pk: int) -> Conference:
    return get_or_404(queries.conferences_visible_to(request.user), pk)


@allow(reads_mun)
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    committees = conference.committees.select_related("profile").prefetch_related(
        "seats__delegation__country", "seats__delegates", "officers__person", "agenda", "sessions"
    )
    can_manage = services.can_manage_conference(request.user, conference)
    delegations = list(conference.delegations.select_related("country", "school", "pairing"))
    own = organisations_where(request.user, Role.COORDINATOR, Role.LIAISON)
    return render(
        request,
        "mun/conference_detail.html",
        {
            "conference": conference,
            "committees": [(c, services.can_chair(request.user, c)) for c in committees],
            "delegations": delegations,
            # A school's or an embassy's own delegation, named for them (they read the page only).
            "own_delegations": [
                d
                for d in delegations
                if d.school_id in own or (d.pairing is not None and d.pairing.embassy_id in own)
            ],
            "to_create": queries.delegations_to_create(conference) if can_manage else 0,
            "can_manage": can_manage,
            "committee_form": CommitteeForm() if can_manage else None,
            "officer_form": OfficerForm() if can_manage else None,
        },
    )


def _managed(request: HttpRequest, pk: int) -> Conference:
    """A conference the user runs: 404 when they cannot see it, 403 when they read it (a
    school or embassy of the season, a chair) but do not run it."""
    conference = _conference(request, pk)
    require(services.can_manage_conference(request.user, conference))
    return conference


@require_POST
@allow(is_officer)
def create_delegations(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _managed(request, pk)
    try:
        result = services.create_delegations(conference=conference, actor=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(
            request,
            _("%(created)s delegations created, %(kept)s already there.")
            % {"created": result.created, "kept": result.kept},
        )
    return redirect("mun:conference", pk=pk)


@require_POST
@allow(is_officer)
def add_committee(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _managed(request, pk)
    form = CommitteeForm(request.POST)

    def action(data: dict[str, Any]) -> None:
        agenda = [line.strip() for line in data.pop("agenda").splitlines() if line.strip()]
        services.add_committee(conference=conference, agenda=agenda, actor=request.user, **data)

    submit(request, form, action, _("Committee added."))
    return redirect("mun:conference", pk=pk)


def _committee(request: HttpRequest, pk: int) -> Committee:
    committee = (
        Committee.objects.select_related("conference__edition__programme", "profile")
        .filter(pk=pk)
        .first()
    )
    if (
        committee is None
        or not queries.conferences_visible_to(request.user)
        .filter(pk=committee.conference_id)
        .exists()
    ):
        raise Http404
    return committee


@require_POST
@allow(is_officer)
def add_officer(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    form = OfficerForm(request.POST)

    def action(data: dict[str, Any]) -> None:
        person = people_visible_to(request.user).filter(pk=data["person"]).first()
        if person is None:
            raise ValidationError({"person": _("There is no such person in your directory.")})
        services.assign_officer(
            committee=committee,
            person=person,
            role=data["role"],
            title=data["title"],
            actor=request.user,
        )

    submit(request, form, action, _("Added to the committee."))
    return redirect("mun:conference", pk=committee.conference_id)


@require_POST
@allow(runs_sessions)
def open_session(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    try:
        session = services.open_session(committee=committee, actor=request.user)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("mun:conference", pk=committee.conference_id)
    return redirect("mun:console", pk=session.pk)


# The console


def _session(pk: int) -> Session | None:
    return (
        Session.objects.select_related(
            "committee__profile",
            "committee__conference__edition__programme",
            "agenda_item",
            "last_ballot__motion",
            "last_ballot__draft",
        )
        .filter(pk=pk)
        .first()
    )


def _chaired(request: HttpRequest, pk: int) -> Session:
    """A session the user chairs: 404 when its conference is not theirs to read, 403 when it
    is (its minutes are open to them) but they are not on its bench."""
    session = _session(pk)
    if (
        session is None
        or not queries.conferences_visible_to(request.user)
        .filter(pk=session.committee.conference_id)
        .exists()
    ):
        raise Http404
    require(services.can_chair(request.user, session.committee))
    return session


def _console(
    request: HttpRequest,
    session: Session,
    *,
    status: int = 200,
    partial: bool = False,
    error: str = "",
) -> HttpResponse:
    state = queries.session_state(session)
    template = "mun/console.html#live" if partial else "mun/console.html"
    return render(
        request,
        template,
        {
            "state": state,
            "session": session,
            "committee": session.committee,
            "error": error,
            "motion_form": MotionForm(),
            "motion_kinds": session.committee.profile.motions,
            "draft_form": DraftForm(seats=[(row.seat.pk, row.name) for row in state.rows]),
            "drafts": session.committee.drafts.all(),
            "projector_url": request.build_absolute_uri(f"/mun/screen/{session.projector_token}/"),
            "server_now_ms": _now_ms(),
        },
        status=status,
    )


def _now_ms() -> int:
    """The server's clock, for pages to correct their own when they count down."""
    return int(time.time() * 1000)


@allow(runs_sessions)
def console(request: HttpRequest, pk: int) -> HttpResponse:
    return _console(request, _chaired(request, pk))


@allow(runs_sessions)
def console_live(request: HttpRequest, pk: int) -> HttpResponse:
    session = _chaired(request, pk)
    if _int(request.GET, "v") == session.version:
        return HttpResponse(status=204)
    return _console(request, session, partial=True)


def _motion(session_id: int, version: int | None, data: Any, actor: Any) -> None:
    form = MotionForm(data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    services.raise_motion(
        session_id=session_id,
        version=version,
        actor=actor,
        kind=form.cleaned_data["kind"],
        proposer_id=form.cleaned_data["proposer"],
        total_seconds=form.cleaned_data["total_seconds"],
        speaking_seconds=form.cleaned_data["speaking_seconds"],
        topic=form.cleaned_data["topic"],
    )


Action = Callable[[int, int | None, Any, Any], Any]
ACTIONS: dict[str, Action] = {
    "attendance": lambda s, v, d, u: services.set_attendance(
        session_id=s, seat_id=_required(d, "seat"), attendance=d.get("attendance", ""), actor=u
    ),
    "speaker-add": lambda s, v, d, u: services.add_speaker(
        session_id=s, version=v, speaker=d.get("speaker", ""), actor=u
    ),
    "speaker-remove": lambda s, v, d, u: services.remove_speaker(
        session_id=s, version=v, speaker=d.get("speaker", ""), actor=u
    ),
    "next": lambda s, v, d, u: services.next_speaker(session_id=s, version=v, actor=u),
    "start": lambda s, v, d, u: services.start_timer(session_id=s, version=v, actor=u),
    "pause": lambda s, v, d, u: services.pause_timer(session_id=s, version=v, actor=u),
    "end-speech": lambda s, v, d, u: services.end_speech(session_id=s, version=v, actor=u),
    "yield": lambda s, v, d, u: services.yield_floor(
        session_id=s, version=v, to=d.get("to", ""), actor=u
    ),
    "speaking-time": lambda s, v, d, u: services.set_speaking_time(
        session_id=s, version=v, seconds=_required(d, "seconds"), actor=u
    ),
    "motion": _motion,
    "rule": lambda s, v, d, u: services.rule_on_motion(
        session_id=s,
        version=v,
        motion_id=_required(d, "motion"),
        decision=d.get("decision", ""),
        actor=u,
    ),
    "ballot-open": lambda s, v, d, u: services.open_ballot(
        session_id=s, version=v, motion_id=_int(d, "motion"), draft_id=_int(d, "draft"), actor=u
    ),
    "vote": lambda s, v, d, u: services.cast_vote(
        session_id=s, seat_id=_required(d, "seat"), vote=d.get("vote", ""), actor=u
    ),
    "ballot-close": lambda s, v, d, u: services.close_ballot(session_id=s, version=v, actor=u),
    "caucus-end": lambda s, v, d, u: services.end_caucus(session_id=s, version=v, actor=u),
    "close": lambda s, v, d, u: services.close_session(session_id=s, version=v, actor=u),
}


@require_POST
@allow(runs_sessions)
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One chair action; the answer is the refreshed console (409 on a conflict, 422 when the
    rules refuse it, with the reason shown above the console)."""
    session = _chaired(request, pk)
    run = ACTIONS.get(action)
    if run is None:
        raise Http404
    error, status = "", 200
    try:
        run(session.pk, _int(request.POST, "version"), request.POST, request.user)
    except services.Conflict as conflict:
        error, status = str(conflict), 409
    except ValidationError as refusal:
        error, status = " ".join(refusal.messages), 422
    session = _session(pk) or session
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        return redirect("mun:console", pk=pk)
    return _console(request, session, status=status, partial=True, error=error)


@require_POST
@allow(runs_sessions)
def add_draft(request: HttpRequest, pk: int) -> HttpResponse:
    session = _chaired(request, pk)
    seats = {seat.pk: seat for seat in session.committee.seats.all()}
    form = DraftForm(request.POST, seats=[(k, str(v)) for k, v in seats.items()])

    def action(data: dict[str, Any]) -> None:
        services.create_draft(
            committee=session.committee,
            code=data["code"],
            title=data["title"],
            sponsors=[seats[k] for k in data["sponsors"]],
            signatories=[seats[k] for k in data["signatories"]],
            actor=request.user,
        )

    submit(request, form, action, _("Draft resolution recorded."))
    return redirect("mun:console", pk=pk)


# The projector: read only, opened by its secret link


def _screen(token: str) -> Session:
    session = live.screen_session(token)
    if session is None:
        raise Http404
    return session


@public
def projector(request: HttpRequest, token: str) -> HttpResponse:
    session = _screen(token)
    response = render(
        request,
        "mun/projector.html",
        {
            "state": queries.session_state(session),
            "session": session,
            "token": token,
            "server_now_ms": _now_ms(),
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@public
def projector_live(request: HttpRequest, token: str) -> HttpResponse:
    """What every projector of the session polls with the version it shows: 204 while the
    session is at that version (from the shared cache when there is one: no query, no
    rendering), else its screen, drawn once per version and language for all of them."""
    version = live.version_of(token)
    if version is None:
        raise Http404
    if _int(request.GET, "v") == version:
        return HttpResponse(status=204)
    return HttpResponse(live.screen(request, token, version, get_language()))


@public
async def projector_events(
    request: HttpRequest, token: str
) -> StreamingHttpResponse | HttpResponse:
    """The projector's screen pushed as server-sent events: the state at once when it is not
    the version the page shows (`v`, or Last-Event-ID on a reconnection), then each new
    version. An unknown link is a 404 on any server. Served only by an ASGI server, where an
    open stream is a waiting coroutine; a WSGI worker would spend a thread on each projector,
    so there it answers 204 and the page keeps polling."""
    if await sync_to_async(live.version_of)(token) is None:
        raise Http404
    if not isinstance(request, ASGIRequest):
        return HttpResponse(status=204)
    shown = _int(request.headers, "Last-Event-ID")
    if shown is None:
        shown = _int(request.GET, "v")
    response = StreamingHttpResponse(
        _events(request, token, shown, get_language()), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # a proxy passes each event on at once
    return response


async def _events(
    request: HttpRequest, token: str, shown: int | None, language: str
) -> AsyncIterator[str]:
    """Events until the stream's lifetime is over; the browser then reconnects. The process's
    one watch of the session tells every stream of a change (live.Watch)."""
    yield f"retry: {live.RECONNECT_MS}\n\n"
    loop = asyncio.get_running_loop()
    ends = loop.time() + live.STREAM_SECONDS
    async with live.watching(token) as watch:
        while (version := watch.version) is not None:
            if version != shown:
                with translation.override(language):
                    body = await watch.screen(request, version, language)
                yield live.event(version, body)
                shown = version
                continue
            left = ends - loop.time()
            if left <= 0:
                return
            changed = await watch.changed_within(min(left, live.HEARTBEAT_SECONDS))
            if not changed and loop.time() < ends:
                yield live.heartbeat()


# Minutes


def _readable_session(request: HttpRequest, pk: int) -> Session:
    session = (
        Session.objects.select_related("committee__conference", "committee__profile", "agenda_item")
        .filter(pk=pk)
        .first()
    )
    if (
        session is None
        or not queries.conferences_visible_to(request.user)
        .filter(pk=session.committee.conference_id)
        .exists()
    ):
        raise Http404
    return session


@allow(reads_mun)
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = _readable_session(request, pk)
    return render(
        request,
        "mun/minutes.html",
        {
            "session": session,
            "entries": queries.minutes_of(session),
            "ballots": session.ballots.filter(closed_at__isnull=False).select_related(
                "motion", "draft"
            ),
        },
    )


@allow(reads_mun)
def minutes_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from chancery.mun import documents  # loaded when a document is asked for: reportlab is heavy

    session = _readable_session(request, pk)
    name = f"minutes-{session.committee.abbreviation or 'committee'}-{session.number}"
    if fmt == "csv":
        response = HttpResponse(
            documents.minutes_csv(session, language=_language(request)),
            content_type="text/csv; charset=utf-8",
        )
    elif fmt == "pdf":
        response = HttpResponse(
            documents.minutes_pdf(session, language=_language(request)),
            content_type="application/pdf",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _language(request: HttpRequest) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "en")[:2]


@allow(is_officer)
def certificates(request: HttpRequest, pk: int) -> HttpResponse:
    from chancery.mun import documents  # loaded when a document is asked for: reportlab is heavy

    conference = _managed(request, pk)
    response = HttpResponse(
        documents.certificates_pdf(conference, language=_language(request)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="mun-certificates-{pk}.pdf"'
    return response


@allow(runs_sessions)
def placards(request: HttpRequest, pk: int) -> HttpResponse:
    from chancery.mun import documents  # loaded when a document is asked for: reportlab is heavy

    committee = _committee(request, pk)
    require(services.can_chair(request.user, committee))
    response = HttpResponse(
        documents.placards_pdf(committee, language=_language(request)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="placards-{pk}.pdf"'
    return response
