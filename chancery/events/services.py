"""Writes to events. Each is one transaction, validated, with its audit row.

`actor` is the signed-in user, or `chancery.core.actors.SYSTEM` for the system (the demo); no
actor is refused. Who may write what is decided in events.access: school coordinators and
embassy liaisons only events of their own organisation's pairings, the officers of the office
running the programme any event of it.
"""

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.core.services import apply_changes as _apply
from chancery.core.services import audit_as
from chancery.core.services import delete as _delete
from chancery.core.services import save as _save
from chancery.core.tabular import ImportFileError, RowOutcome, read_table, rows_with_errors
from chancery.directory import services as directory
from chancery.directory.models import AffiliationRole, ConsentKind, Organisation, Person
from chancery.directory.names import name_key
from chancery.events import ical, queries
from chancery.events.access import can_manage, is_programme_officer, own_pairings
from chancery.events.models import Attendance, Event, MediaLink, Photo
from chancery.notifications.services import notify
from chancery.programmes.models import Edition, Pairing

EVENT_FIELDS = frozenset(
    {
        "kind",
        "title_en",
        "title_ru",
        "title_kk",
        "description_en",
        "description_ru",
        "description_kk",
        "starts_at",
        "ends_at",
        "time_zone",
        "venue_en",
        "venue_ru",
        "venue_kk",
        "public",
        "hashtag",
    }
)
_HASHTAG = re.compile(r"#\w+")


def default_hashtag(edition: Edition) -> str:
    """The programme's hashtag: the first #tag of its description, else its name as a tag."""
    programme = edition.programme
    found = _HASHTAG.search(programme.description or "")
    if found:
        return found.group(0)
    return "#" + slugify(programme.name_en).replace("-", "")


#: The texts kept per language (django-modeltranslation, see translation.py).
PER_LANGUAGE = ("title", "description", "venue")


def _in_english(fields: dict[str, Any]) -> dict[str, Any]:
    """`title`, `description` and `venue` alone are the English texts (title_en...); the
    _ru and _kk ones are the others."""
    fields = dict(fields)
    for name in PER_LANGUAGE:
        if name in fields:
            fields.setdefault(f"{name}_en", fields.pop(name))
    return fields


# Who may write what (the checks themselves are in events.access)


def _check_scope(actor: Any, edition: Edition, pairings: list[Pairing]) -> None:
    if any(p.edition_id != edition.pk for p in pairings):
        raise ValidationError({"pairings": _("Choose pairings of this edition.")})
    if is_programme_officer(actor, edition):
        return
    allowed = set(own_pairings(actor, edition).values_list("pk", flat=True))
    if not pairings:
        raise ValidationError(
            {
                "pairings": _(
                    "Choose your school's or embassy's pairing: only the programme's officers record "
                    "events of the whole edition."
                )
            }
        )
    if not {p.pk for p in pairings} <= allowed:
        raise PermissionDenied(
            _("You may only record events for the pairings of your own school or embassy.")
        )


# Events

#: The fields whose change the schools and embassies are told of.
TOLD_FIELDS = (
    "kind",
    "title_en",
    "title_ru",
    "title_kk",
    "description_en",
    "description_ru",
    "description_kk",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue_en",
    "venue_ru",
    "venue_kk",
)


def _told_state(event: Event) -> dict[str, Any]:
    state = {name: getattr(event, name) for name in TOLD_FIELDS}
    state["pairings"] = set(event.pairings.values_list("pk", flat=True)) if event.pk else set()
    return state


def _tell(event: Event, actor: Any, *, created: bool, changes: list[Any] | None = None) -> None:
    """Tell the schools and embassies of the event (queries.people_to_tell) that it was
    created or changed, with its .ics attached."""
    recipients = queries.people_to_tell(event)
    if not recipients:
        return
    changes = changes or []
    notify(
        kind="event_changed",
        recipients=recipients,
        office=event.edition.programme.owner,
        link=reverse("events:detail", args=[event.pk]),
        actor=actor if getattr(actor, "pk", None) else None,
        attachments=[(f"event-{event.pk}.ics", ical.event_file(event), "text/calendar")],
        context={
            "event": event,
            "created": created,
            # Joined when rendered: each recipient reads the names in their language.
            "changes": lazy(lambda: ", ".join(str(name) for name in changes), str)(),
            "pairings": list(event.pairings.select_related("school", "embassy")),
        },
    )


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[Any]:
    """The names of what changed (each language of a text counts as the text)."""
    names: list[Any] = []
    for name in after:
        if before[name] != after[name]:
            base = name.rsplit("_", 1)[0]
            field = base if base in PER_LANGUAGE else name
            told = Event._meta.get_field(field)
            assert isinstance(told, Field)  # TOLD_FIELDS and pairings are the event's own fields
            label = told.verbose_name
            if label not in names:
                names.append(label)
    return names


def _set_relations(
    event: Event,
    organisers: Iterable[Organisation] | None,
    pairings: Iterable[Pairing] | None,
    speakers: Iterable[Person] | None,
    actor: Any,
) -> None:
    audit_as(event, actor)
    if organisers is not None:
        event.organisers.set(list(organisers))
    if pairings is not None:
        event.pairings.set(list(pairings))
    if speakers is not None:
        event.speakers.set(list(speakers))


@transaction.atomic
def create_event(
    *,
    actor: Any,
    edition: Edition,
    organisers: Iterable[Organisation] = (),
    pairings: Iterable[Pairing] = (),
    speakers: Iterable[Person] = (),
    **fields: Any,
) -> Event:
    """Record an event of the edition; coordinators and liaisons only for their pairings."""
    pairings = list(pairings)
    _check_scope(actor, edition, pairings)
    event = Event(edition=edition)
    _apply(event, EVENT_FIELDS, _in_english(fields))
    if not event.hashtag:
        event.hashtag = default_hashtag(edition)
    _save(event, actor)
    _set_relations(event, organisers, pairings, speakers, actor)
    _tell(event, actor, created=True)
    return event


@transaction.atomic
def update_event(
    *,
    actor: Any,
    event: Event,
    organisers: Iterable[Organisation] | None = None,
    pairings: Iterable[Pairing] | None = None,
    speakers: Iterable[Person] | None = None,
    **changes: Any,
) -> Event:
    """Change an event; the same scope rule holds for the pairings before and after."""
    event = Event.objects.select_for_update().select_related("edition__programme").get(pk=event.pk)
    if not can_manage(actor, event):
        raise PermissionDenied(_("You may only change events of your own pairings."))
    if pairings is not None:
        pairings = list(pairings)
        _check_scope(actor, event.edition, pairings)
    before = _told_state(event)
    _apply(event, EVENT_FIELDS, _in_english(changes))
    if not event.hashtag:
        event.hashtag = default_hashtag(event.edition)
    _save(event, actor)
    _set_relations(event, organisers, pairings, speakers, actor)
    changed = _changed(before, _told_state(event))
    if changed:
        _tell(event, actor, created=False, changes=changed)
    return event


# Pupils


@dataclass
class Registration:
    pupil: Person
    guardian: Person


@transaction.atomic
def register_pupil(
    *,
    actor: Any,
    edition: Edition,
    school: Organisation,
    given_name: str,
    family_name: str,
    birth_date: date | None,
    guardian_given_name: str,
    guardian_family_name: str,
    guardian_phone: str = "",
    guardian_email: str = "",
    consents: Iterable[str] = (),
    given_on: date | None = None,
) -> Registration:
    """Register a pupil of a school taking part, with the guardian and the consents they give.

    A minor is refused without the guardian's consent to the processing of personal data
    (the directory's rule); nothing is recorded then.
    """
    given_on = given_on or timezone.localdate()
    if not edition.participations.filter(organisation=school, role="school").exists():
        raise ValidationError({"school": _("This school does not take part in the edition.")})
    if not is_programme_officer(actor, edition) and school.pk not in organisations_where(
        actor, Role.COORDINATOR
    ):
        raise PermissionDenied(_("You may only register pupils of your school."))
    owner = edition.programme.owner
    guardian = directory.create_person(
        actor=actor,
        owner=owner,
        given_name=guardian_given_name,
        family_name=guardian_family_name,
        phone=guardian_phone,
        email=guardian_email,
    )
    pupil = directory.create_person(
        actor=actor,
        owner=owner,
        given_name=given_name,
        family_name=family_name,
        birth_date=birth_date,
        guardian=guardian,
    )
    for kind in dict.fromkeys(consents):
        if kind not in ConsentKind.values:
            raise ValidationError({"consents": _("Unknown consent: %(kind)s.") % {"kind": kind}})
        directory.record_consent(
            actor=actor, person=pupil, kind=kind, given_by=guardian, given_on=given_on
        )
    directory.add_affiliation(
        actor=actor, person=pupil, organisation=school, role=AffiliationRole.PUPIL, start=given_on
    )
    return Registration(pupil=pupil, guardian=guardian)


# Attendance


def candidates(event: Event) -> QuerySet[Person]:
    """People who may be on the event's list: its pairings' pupils and staff, its speakers,
    the people of its organisers, and anyone already listed."""
    schools = [p.school_id for p in event.pairings.all()]
    embassies = [p.embassy_id for p in event.pairings.all()]
    organisers = list(event.organisers.values_list("pk", flat=True))
    if not schools and not embassies:  # an edition-wide event: every pairing of the edition
        schools = list(event.edition.pairings.values_list("school_id", flat=True))
        embassies = list(event.edition.pairings.values_list("embassy_id", flat=True))
    where = Q(affiliations__organisation__in=[*schools, *embassies, *organisers])
    where |= Q(talks=event) | Q(attendances__event=event)
    return Person.objects.filter(pk__in=Person.objects.filter(where).values("pk"))


@transaction.atomic
def record_attendance(
    *, actor: Any, event: Event, person: Person, attended: bool = True, at: datetime | None = None
) -> Attendance:
    """Put a person on the list and tick (or untick) them as present."""
    if not can_manage(actor, event):
        raise PermissionDenied(_("You may only take attendance at events of your pairings."))
    if not candidates(event).filter(pk=person.pk).exists():
        raise ValidationError(
            {
                "person": _(
                    "%(person)s is not a pupil or staff member of this event's schools, embassies "
                    "or organisers."
                )
                % {"person": person}
            }
        )
    directory.check_pupil_ready(person)  # data is processed now, whenever the event was
    attendance = Attendance.objects.select_for_update().filter(event=event, person=person).first()
    attendance = attendance or Attendance(event=event, person=person)
    attendance.attended = attended
    attendance.checked_at = (at or timezone.now()) if attended else None
    _save(attendance, actor)
    return attendance


@transaction.atomic
def delete_attendance(*, actor: Any, attendance: Attendance) -> None:
    """Take a person off the event's list (for one listed by mistake)."""
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("event__edition__programme")
        .get(pk=attendance.pk)
    )
    if not can_manage(actor, attendance.event):
        raise PermissionDenied(_("You may only take attendance at events of your pairings."))
    _delete(attendance, actor)


@dataclass
class AttendanceRow(RowOutcome):
    """What the attendance import does (or did) with one row."""

    name: str = ""
    outcome: str = "error"  # present, absent or error
    person: Person | None = None


@dataclass
class ImportResult:
    rows: list[AttendanceRow]
    dry_run: bool
    recorded: int = 0

    @property
    def error_count(self) -> int:
        return rows_with_errors(self.rows)


_YES = {"", "1", "yes", "y", "true", "x", "да", "иә", "present"}
_NO = {"0", "no", "n", "false", "нет", "жоқ", "absent"}


def _row_outcome(number: int, record: dict[str, str], people: QuerySet[Person]) -> AttendanceRow:
    row = AttendanceRow(number=number)
    pid = record.get("person_id", "")
    given, family = record.get("given_name", ""), record.get("family_name", "")
    row.name = " ".join(part for part in (given, family) if part) or (f"#{pid}" if pid else "")
    flag = record.get("attended", "").lower()
    if flag in _YES:
        row.outcome = "present"
    elif flag in _NO:
        row.outcome = "absent"
    else:
        row.error("attended", _("write yes or no, not “%(value)s”") % {"value": flag})
    if pid:
        if not pid.isdigit() or len(pid) > 18:
            row.error("person_id", _("not a number"))
            return row
        row.person = people.filter(pk=int(pid)).first()
        if row.person is None:
            row.error(
                "person_id",
                _("no such person among this event's schools, embassies and organisers"),
            )
    elif given or family:
        key = name_key(given, family)
        found = list(people.filter(name_key=key)[:2]) if key else []
        if len(found) == 1:
            row.person = found[0]
        elif found:
            row.error("family_name", _("several people have this name; give the person_id"))
        else:
            row.error(
                "family_name",
                _("nobody of this name among this event's schools, embassies and organisers"),
            )
    else:
        row.error("person_id", _("give a person_id or a given_name and family_name"))
    if row.person is not None:
        try:
            directory.check_pupil_ready(row.person)
        except ValidationError as error:
            row.error("person_id", " ".join(error.messages))
    if row.errors:
        row.outcome = "error"
    return row


def import_attendance(
    *, actor: Any, event: Event, data: bytes, filename: str, dry_run: bool = True
) -> ImportResult:
    """Read a .csv or .xlsx list (person_id or given_name + family_name, attended) and record
    it; a row with an error stops the whole file (the dry run shows every row's outcome)."""
    if not can_manage(actor, event):
        raise PermissionDenied(_("You may only take attendance at events of your pairings."))
    try:
        header, lines = read_table(data, filename)
        columns = [name.strip().lower().replace(" ", "_") for name in header]
        known = {"person_id", "given_name", "family_name", "attended"}
        if not known.intersection(columns) - {"attended"}:
            raise ValidationError(
                {
                    "file": _(
                        "The first row must name the columns: person_id, or given_name and "
                        "family_name; and attended."
                    )
                }
            )
        people = candidates(event)
        rows = []
        for number, line in enumerate(lines, start=2):
            if not any(cell.strip() for cell in line):
                continue
            record = {
                name: (line[i].strip() if i < len(line) else "")
                for i, name in enumerate(columns)
                if name in known
            }
            rows.append(_row_outcome(number, record, people))
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    result = ImportResult(rows=rows, dry_run=dry_run)
    if dry_run or result.error_count:
        return result
    with transaction.atomic():
        for row in rows:
            assert row.person is not None
            record_attendance(
                actor=actor, event=event, person=row.person, attended=row.outcome == "present"
            )
            result.recorded += 1
    return result


# Media and photos


def _unconsented_names(people: Iterable[Person], on: date) -> list[Person]:
    return [p for p in people if not directory.has_consent(p, ConsentKind.MEDIA, on)]


@transaction.atomic
def add_media_link(*, actor: Any, event: Event, url: str, caption: str = "") -> MediaLink:
    if not can_manage(actor, event):
        raise PermissionDenied(_("You may only add media to events of your pairings."))
    link = MediaLink(event=event, url=url, caption=caption)
    _save(link, actor)
    return link


@transaction.atomic
def delete_media_link(*, actor: Any, link: MediaLink) -> None:
    link = (
        MediaLink.objects.select_for_update()
        .select_related("event__edition__programme")
        .get(pk=link.pk)
    )
    if not can_manage(actor, link.event):
        raise PermissionDenied(_("You may only change media of events of your pairings."))
    _delete(link, actor)


#: Formats a photo may have, as Pillow names them, and the most pixels it may have (a 40
#: megapixel camera's picture passes; a "decompression bomb" does not).
PHOTO_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MAX_PHOTO_PIXELS = 50_000_000


def check_photo_content(image: Any) -> None:
    """Refuse a file that is not a whole JPEG, PNG or WebP image of reasonable size.

    The content decides, not the name: Pillow reads the header, checks the size, verifies
    the file's structure, then decodes it (JPEGs at an eighth of their size, which still reads
    every byte) so that a truncated or corrupt image is refused too.
    """

    def refuse(message: str) -> ValidationError:
        return ValidationError({"image": message})

    try:
        image.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(image) as picture:
                kind, (width, height) = picture.format, picture.size
                if kind not in PHOTO_FORMATS:
                    raise refuse(
                        _("The file is a %(kind)s image; photos must be JPEG, PNG or WebP.")
                        % {"kind": kind or _("unknown")}
                    )
                if width * height > MAX_PHOTO_PIXELS:
                    raise refuse(
                        _(
                            "The photo is %(width)s × %(height)s pixels; at most "
                            "%(limit)s million pixels are accepted."
                        )
                        % {"width": width, "height": height, "limit": MAX_PHOTO_PIXELS // 1_000_000}
                    )
                picture.verify()
            image.seek(0)
            with Image.open(image) as picture:
                if picture.format == "JPEG":
                    picture.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                picture.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise refuse(_("The file is not a JPEG, PNG or WebP image.")) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
        raise refuse(
            _("The image is damaged or incomplete: save it again and upload the new file.")
        ) from None
    finally:
        image.seek(0)


@transaction.atomic
def add_photo(
    *, actor: Any, event: Event, image: Any, caption: str = "", people: Iterable[Person] = ()
) -> Photo:
    """Add a photo with the people it shows. The caption may not name anyone of the event
    (shown or on its list) who lacks a media consent: a caption is what gets published."""
    if not can_manage(actor, event):
        raise PermissionDenied(_("You may only add photos to events of your pairings."))
    check_photo_content(image)
    people = list(people)
    _check_caption(event, caption, people)
    photo = Photo(event=event, image=image, caption=caption)
    _save(photo, actor)
    audit_as(photo, actor)
    photo.people.set(people)
    return photo


def _check_caption(event: Event, caption: str, people: list[Person]) -> None:
    on = timezone.localdate()
    listed = [a.person for a in event.attendances.select_related("person")]
    caption_key = f" {name_key(caption)} "
    for person in _unconsented_names([*people, *listed], on):
        names = {
            name_key(person.given_name, person.family_name),
            name_key(person.given_name_cyrl, person.family_name_cyrl),
            name_key(person.display_name),
        } - {""}
        if any(
            f" {n} " in caption_key or all(f" {w} " in caption_key for w in n.split())
            for n in names
        ):
            raise ValidationError(
                {
                    "caption": _(
                        "The caption names %(person)s, who has no consent to photos and media."
                    )
                    % {"person": person}
                }
            )


def _managed_photo(actor: Any, photo: Photo) -> Photo:
    photo = (
        Photo.objects.select_for_update()
        .select_related("event__edition__programme")
        .get(pk=photo.pk)
    )
    if not can_manage(actor, photo.event):
        raise PermissionDenied(_("You may only change photos of events of your pairings."))
    return photo


@transaction.atomic
def update_photo(
    *, actor: Any, photo: Photo, caption: str, people: Iterable[Person] | None = None
) -> Photo:
    """Change a photo's caption (and who it shows), with the same consent rule as adding."""
    photo = _managed_photo(actor, photo)
    people = list(photo.people.all() if people is None else people)
    _check_caption(photo.event, caption, people)
    photo.caption = caption
    _save(photo, actor)
    audit_as(photo, actor)
    photo.people.set(people)
    return photo


@transaction.atomic
def delete_photo(*, actor: Any, photo: Photo) -> None:
    """Delete a photo; its file is removed once the deletion is committed."""
    photo = _managed_photo(actor, photo)
    storage, name = photo.image.storage, photo.image.name
    _delete(photo, actor)
    if name:
        transaction.on_commit(lambda: storage.delete(name))
