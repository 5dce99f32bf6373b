"""Event pages: calendar and list, an event, its attendance at the door, pupil registration,
the edition's public page and report, and the iCalendar feeds."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role, User
from chancery.core.access import access_rule, admits, allow, public
from chancery.core.confirm import confirmation_step
from chancery.core.forms import add_service_errors
from chancery.core.pagination import page_of
from chancery.core.versioned import cached_by_version
from chancery.core.views_support import get_or_404, require
from chancery.directory.models import Organisation
from chancery.directory.queries import people_visible_to, search_people
from chancery.events import ical, queries, services
from chancery.events.access import (
    reads_events,
    reads_reports,
    registers_pupils,
    writes_events,
)
from chancery.events.forms import (
    EventForm,
    ImportForm,
    MediaLinkForm,
    PhotoEditForm,
    PhotoForm,
    PupilForm,
)
from chancery.events.models import Attendance, Event, EventKind, MediaLink, Photo
from chancery.programmes import charts
from chancery.programmes.models import Edition
from chancery.programmes.queries import programmes_read_by

PUPILS_LISTED = 50


def _id(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 19 else None


def _done(request: HttpRequest, url: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _managed(request: HttpRequest, pk: int) -> Event:
    """An event the user may change: 404 when they cannot see it, 403 when they can (the Model
    UN final of their season, another pairing's event they were shown) but it is not theirs."""
    event = get_or_404(queries.events_visible_to(request.user), pk)
    require(services.can_manage(request.user, event))
    return event


def edition_links(user: Any, edition: Edition, *, with_list: bool = True) -> list[tuple[str, str]]:
    """An outreach edition's pages about its events, each for those it lets in: the events
    list (the roles that read events), the events report (the office reading the programme),
    the public page and the public calendar feed (everyone). The edition page and the events
    list show them."""
    if edition.programme.kind != "outreach":
        return []
    links = []
    if with_list and admits(access_rule(event_list), user):
        links.append(
            (_("The edition's events"), f"{reverse('events:list')}?edition={edition.pk}&view=list")
        )
    if (
        admits(access_rule(edition_report), user)
        and programmes_read_by(user).filter(pk=edition.programme_id).exists()
    ):
        links.append((_("Events report"), reverse("events:edition_report", args=[edition.pk])))
    links.append((_("Public page"), reverse("events:edition_public", args=[edition.pk])))
    links.append(
        (
            _("Add the events to your calendar (iCalendar)"),
            reverse("events:edition_feed", args=[edition.pk]),
        )
    )
    return links


# Pupils whose guardian's consent is missing


@allow(registers_pupils)
def pupils_missing_consent(request: HttpRequest) -> HttpResponse:
    """Minor pupils of the coordinator's schools (of the office's editions, for an officer)
    still without a guardian's consent, and which."""
    pupils = queries.pupils_missing_consent(queries.pupils_of_interest(request.user))
    page = page_of(pupils.prefetch_related("consents"), request.GET.get("page"), PUPILS_LISTED)
    return render(
        request,
        "events/pupils_missing_consent.html",
        {"page": page, "rows": [(p, queries.missing_consents(p)) for p in page.items]},
    )


# Calendar and list


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.split("-", 1))
        if 1990 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = timezone.localdate()
    return today.year, today.month


@allow(reads_events)
def event_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")[:20]
    pairing = _id(request.GET.get("pairing"))
    edition = _id(request.GET.get("edition"))
    view = "list" if request.GET.get("view") == "list" else "calendar"
    events = queries.event_list(
        queries.events_visible_to(request.user), edition=edition, kind=kind, pairing=pairing
    )
    month_text = request.GET.get("month", "")[:7]
    if not month_text and events.exists():
        upcoming = events.filter(starts_at__gte=timezone.now()).first() or events.last()
        assert upcoming is not None
        month_text = upcoming.starts_local.strftime("%Y-%m")
    year, month = _month(month_text)
    previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    weeks = queries.month_grid(events, year, month) if view == "calendar" else []
    editions = queries.editions_for_events(request.user)
    # The chosen edition's, or the only one's (a school's or an embassy's season).
    chosen = (
        editions.filter(pk=edition).first()
        if edition
        else (only[0] if len(only := editions[:2]) == 1 else None)
    )
    person = request.user.person if isinstance(request.user, User) else None
    return render(
        request,
        "events/event_list.html",
        {
            "events": events,
            "view": view,
            "kind": kind,
            "pairing": pairing,
            "edition": edition,
            "kinds": EventKind.choices,
            "pairings": queries.pairings_visible_to(request.user),
            "editions": editions,
            # The chosen edition's report, public page and feed (not the list it is on).
            "edition_links": edition_links(request.user, chosen, with_list=False) if chosen else [],
            "weeks": weeks,
            # The same month as a list of its days with events: what a phone shows instead of the
            # seven-column grid, which cannot fit a narrow screen.
            "agenda": [day for week in weeks for day in week if day.in_month and day.events],
            "month": date(year, month, 1),
            "previous": previous,
            "following": following,
            "can_create": writes_events(request.user),
            "feed_token": ical.person_token(person) if person is not None else None,
        },
    )


@allow(reads_events)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_or_404(
        queries.events_visible_to(request.user).prefetch_related(
            "pairings__school",
            "pairings__embassy",
            "organisers",
            "speakers",
            "photos__people",
            "media_links",
        ),
        pk,
    )
    can_manage = services.can_manage(request.user, event)
    today = timezone.localdate()
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "can_manage": can_manage,
            "attendances": event.attendances.select_related("person"),
            "photos": [
                (photo, queries.is_publishable_photo(photo, today)) for photo in event.photos.all()
            ],
            "photo_form": PhotoForm(people=services.candidates(event)) if can_manage else None,
            "link_form": MediaLinkForm() if can_manage else None,
        },
    )


def _event_form(request: HttpRequest, event: Event | None) -> HttpResponse:
    editions = queries.editions_for_events(request.user)
    initial: dict[str, Any] = {}
    if event is not None:
        initial = {
            "edition": event.edition,
            "kind": event.kind,
            "title": event.title_en,
            "title_ru": event.title_ru,
            "title_kk": event.title_kk,
            "starts": event.starts_local.replace(tzinfo=None),
            "ends": event.ends_local.replace(tzinfo=None),
            "time_zone": event.time_zone,
            "venue": event.venue_en,
            "venue_ru": event.venue_ru,
            "venue_kk": event.venue_kk,
            "pairings": list(event.pairings.all()),
            "organisers": list(event.organisers.all()),
            "speakers": list(event.speakers.all()),
            "public": event.public,
            "hashtag": event.hashtag,
            "description": event.description_en,
            "description_ru": event.description_ru,
            "description_kk": event.description_kk,
        }
    elif _id(request.GET.get("edition")):
        initial = {"edition": _id(request.GET.get("edition"))}
    form = EventForm(
        request.POST or None,
        initial=initial,
        editions=editions,
        pairings=queries.pairings_visible_to(request.user).filter(edition__in=editions),
        organisations=Organisation.objects.filter(
            Q(participations__edition__in=editions) | Q(programmes__editions__in=editions)
        ).distinct(),
        people=people_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            if event is None:
                event = services.create_event(actor=request.user, **data)
            else:
                data.pop("edition")
                event = services.update_event(actor=request.user, event=event, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return _done(request, reverse("events:detail", args=[event.pk]))
    template = "events/event_form.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#form"
    if event is not None:
        form.fields["edition"].disabled = True
    return render(
        request,
        template,
        {"form": form, "event": event},
        status=422 if request.method == "POST" else 200,
    )


@allow(writes_events)
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@allow(writes_events)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_form(request, _managed(request, pk))


# Attendance at the door


@allow(writes_events)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    text = request.GET.get("q", "")[:100]
    people = search_people(services.candidates(event), text).order_by("family_name", "given_name")[
        :60
    ]
    ticked = set(event.attendances.filter(attended=True).values_list("person_id", flat=True))
    template = "events/attendance.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#people"
    return render(
        request,
        template,
        {"event": event, "people": people, "ticked": ticked, "q": text, "present": len(ticked)},
    )


@allow(writes_events)
@require_POST
def tick(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    event = _managed(request, pk)
    person = get_or_404(services.candidates(event), person_pk)
    attended = request.POST.get("attended", "1") == "1"
    try:
        services.record_attendance(
            actor=request.user, event=event, person=person, attended=attended
        )
    except ValidationError as error:
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "events/attendance.html#row",
                {
                    "event": event,
                    "person": person,
                    "ticked": set(),
                    "error": " ".join(error.messages),
                },
                status=422,
            )
        messages.error(request, " ".join(error.messages))
        return redirect("events:attendance", pk=pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "events/attendance.html#row",
            {"event": event, "person": person, "ticked": {person.pk} if attended else set()},
        )
    return redirect(f"{reverse('events:attendance', args=[pk])}?q={person.family_name}")


@allow(writes_events)
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]  # its size checked by the form (MAX_UPLOAD_MB)
        try:
            result = services.import_attendance(
                actor=request.user,
                event=event,
                data=upload.read(),
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if result.recorded:
                messages.success(request, _("%(n)d rows recorded.") % {"n": result.recorded})
                return redirect("events:detail", pk=pk)
    status = 422 if form.errors or (result and result.error_count) else 200
    return render(
        request,
        "events/import.html",
        {"event": event, "form": form, "result": result},
        status=status,
    )


@allow(writes_events)
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    form = PhotoForm(request.POST, request.FILES, people=services.candidates(event))
    if form.is_valid():  # the photo's size checked by the form (MAX_UPLOAD_MB)
        try:
            services.add_photo(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            _field_messages(request, form, error)
        else:
            messages.success(request, _("The photo is added."))
    else:
        _field_messages(request, form, ValidationError(form.errors))
    return redirect("events:detail", pk=pk)


def _field_messages(request: HttpRequest, form: Any, error: ValidationError) -> None:
    """Each error as a message naming the field by its label ("Photo: ...")."""
    if not hasattr(error, "error_dict"):
        messages.error(request, " ".join(error.messages))
        return
    for name, errors in error.message_dict.items():
        field = form.fields.get(name)
        label = field.label if field is not None else name
        messages.error(request, f"{label}: {' '.join(errors)}")


def _managed_photo(request: HttpRequest, pk: int) -> Photo:
    photo = get_or_404(
        Photo.objects.select_related("event").filter(
            event__in=queries.events_visible_to(request.user)
        ),
        pk,
    )
    require(services.can_manage(request.user, photo.event))
    return photo


@allow(writes_events)
def photo_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a photo's caption and the people it shows."""
    photo = _managed_photo(request, pk)
    people = services.candidates(photo.event)
    form = PhotoEditForm(
        request.POST or None,
        people=people,
        initial={"caption": photo.caption, "people": list(photo.people.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_photo(actor=request.user, photo=photo, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The photo is changed."))
            return redirect("events:detail", pk=photo.event_id)
    return render(
        request,
        "events/photo_form.html",
        {"photo": photo, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@allow(writes_events)
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _managed_photo(request, pk)
    step = confirmation_step(
        request,
        title=_("Delete this photo?"),
        consequence=_(
            "The photo and its caption are deleted from the event. This cannot be undone."
        ),
        action=_("Delete the photo"),
        cancel_url=reverse("events:detail", args=[photo.event_id]),
    )
    if step is not None:
        return step
    try:
        services.delete_photo(actor=request.user, photo=photo)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The photo is deleted."))
    return redirect("events:detail", pk=photo.event_id)


@allow(writes_events)
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_or_404(
        MediaLink.objects.select_related("event").filter(
            event__in=queries.events_visible_to(request.user)
        ),
        pk,
    )
    require(services.can_manage(request.user, link.event))
    step = confirmation_step(
        request,
        title=_("Delete the link “%(link)s”?") % {"link": link},
        consequence=_("The link is taken off the event's page."),
        action=_("Delete the link"),
        cancel_url=reverse("events:detail", args=[link.event_id]),
    )
    if step is not None:
        return step
    try:
        services.delete_media_link(actor=request.user, link=link)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The link is deleted."))
    return redirect("events:detail", pk=link.event_id)


@allow(writes_events)
@require_POST
def attendance_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_or_404(
        Attendance.objects.select_related("event", "person").filter(
            event__in=queries.events_visible_to(request.user)
        ),
        pk,
    )
    require(services.can_manage(request.user, row.event))
    step = confirmation_step(
        request,
        title=_("Take %(person)s off the list?") % {"person": row.person},
        consequence=_("Their attendance of this event is deleted; the person's record stays."),
        action=_("Take off the list"),
        cancel_url=reverse("events:detail", args=[row.event_id]),
    )
    if step is not None:
        return step
    try:
        services.delete_attendance(actor=request.user, attendance=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s is taken off the list.") % {"person": row.person})
    return redirect("events:detail", pk=row.event_id)


@allow(writes_events)
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    form = MediaLinkForm(request.POST)
    if form.is_valid():
        try:
            services.add_media_link(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(error) for error in errors)}")
    return redirect("events:detail", pk=pk)


@public
def photo_image(request: HttpRequest, pk: int) -> FileResponse:
    """A published photo for anyone; an unpublished one only for who may see its event."""
    photo = get_or_404(Photo.objects.select_related("event"), pk)
    if not queries.is_publishable_photo(photo) and not (
        request.user.is_authenticated
        and queries.events_visible_to(request.user).filter(pk=photo.event_id).exists()
    ):
        raise Http404
    try:
        return FileResponse(photo.image.open("rb"))
    except FileNotFoundError:
        raise Http404 from None


# Pupils


@allow(registers_pupils)
def register_pupil(request: HttpRequest) -> HttpResponse:
    user = request.user
    editions = queries.editions_for_events(user)
    schools = Organisation.objects.filter(
        participations__edition__in=editions, participations__role="school"
    ).distinct()
    if not getattr(user, "is_superuser", False):
        office = organisations_where(user, Role.OFFICER)
        schools = schools.filter(
            Q(pk__in=organisations_where(user, Role.COORDINATOR))
            | Q(participations__edition__programme__owner__in=office)
        )
    form = PupilForm(request.POST or None, editions=editions, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_pupil(actor=user, **form.service_fields())
        except ValidationError as error:
            if hasattr(error, "error_dict") and "guardian" in error.error_dict:
                error = ValidationError({"consent_data": error.error_dict["guardian"]})
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(pupil)s is registered.") % {"pupil": registration.pupil})
            return _done(request, reverse("events:register_pupil"))
    template = "events/pupil_form.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#form"
    return render(
        request, template, {"form": form}, status=422 if request.method == "POST" else 200
    )


# The edition: public page, report, feeds


@public
def edition_public(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_or_404(
        Edition.objects.filter(programme__kind="outreach").select_related("programme"), pk
    )
    today = timezone.localdate()
    entries = queries.public_page(edition, today)
    taking_part = queries.public_attendees(edition, today)
    return render(
        request,
        "events/public.html",
        {
            "edition": edition,
            "entries": entries,
            "taking_part": taking_part,
            "pairings": edition.pairings.select_related("school", "embassy"),
            "hashtag": services.default_hashtag(edition),
        },
    )


@public
def edition_feed(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_or_404(
        Edition.objects.filter(programme__kind="outreach").select_related("programme"), pk
    )
    body = ical.feed(
        queries.public_events(edition), name=str(edition), host=request.get_host().split(":")[0]
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="edition-{edition.pk}.ics"'
    return response


def _person_feed(request: HttpRequest, person: Any) -> HttpResponse:
    body = ical.feed(
        queries.events_of_person(person), name=str(person), host=request.get_host().split(":")[0]
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@public
def person_feed(request: HttpRequest, token: str) -> HttpResponse:
    person = ical.person_from_token(token[:200])
    if person is None:
        raise Http404
    return _person_feed(request, person)


@allow(reads_events)
def my_feed(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    return _person_feed(request, person)


def _readable_edition(request: HttpRequest, pk: int) -> Edition:
    """An outreach edition whose report the user reads: 404 for no such edition, 403 for
    another office's (every outreach edition has a public page: it is no secret)."""
    edition = get_or_404(
        Edition.objects.filter(programme__kind="outreach").select_related("programme"), pk
    )
    require(programmes_read_by(request.user).filter(pk=edition.programme_id).exists())
    return edition


@allow(reads_reports)
def edition_report(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _readable_edition(request, pk)
    per = "week" if request.GET.get("per") == "week" else "month"

    def body() -> str:
        report = queries.edition_report(edition, per=per)
        return render_to_string(
            "events/report.html#body",
            {
                "report": report,
                "per": per,
                "timeline_chart": charts.bar_chart(
                    report.timeline,
                    title=(_("Events per week") if per == "week" else _("Events per month")),
                ),
                "kind_chart": charts.horizontal_bars(report.by_kind, title=_("Events by kind")),
            },
        )

    # Everyone who may read the report reads the same: rendered once a language, until a
    # table it counts changes.
    return render(
        request,
        "events/report.html",
        {
            "edition": edition,
            "body": mark_safe(
                cached_by_version(
                    "edition report page",
                    (edition.pk, per, get_language()),
                    queries.REPORT_TABLES,
                    body,
                )
            ),
        },
    )


@allow(reads_reports)
def edition_report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    # upward: named in pyproject's [tool.importlinter]
    from chancery.reports import exports

    edition = _readable_edition(request, pk)
    if fmt not in exports.FORMATS:
        raise Http404
    rows = queries.report_rows(queries.edition_report(edition))
    columns = [
        ("section", lambda row: row[0]),
        ("item", lambda row: row[1]),
        ("value", lambda row: row[2]),
    ]
    response = HttpResponse(
        b"".join(exports.render(rows, columns, fmt)), content_type=exports.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="events-{edition.pk}-report.{fmt}"'
    return response
