"""A small outreach edition with two pairings, for the events tests and the browser journey."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import AffiliationRole, ConsentKind, Organisation, Person
from chancery.draws import services as draws
from chancery.programmes import services as programmes
from chancery.programmes.models import Edition, Pairing

ALMATY = ZoneInfo("Asia/Almaty")


@dataclass
class Outreach:
    edition: Edition
    school: Organisation
    other_school: Organisation
    embassy: Organisation
    other_embassy: Organisation
    pairing: Pairing
    other_pairing: Pairing
    coordinator: User
    liaison: User
    other_liaison: User
    pupil: Person
    shy_pupil: Person
    diplomat: Person


def _pupil(owner: Organisation, school: Organisation, given: str, media: bool) -> Person:
    guardian = directory.create_person(
        actor=SYSTEM, owner=owner, given_name="Guardian", family_name=given + "ova"
    )
    pupil = directory.create_person(
        actor=SYSTEM,
        owner=owner,
        given_name=given,
        family_name=given + "ova",
        birth_date=date(2012, 3, 1),
        guardian=guardian,
    )
    given_on = date(2018, 10, 1)
    directory.record_consent(
        actor=SYSTEM,
        person=pupil,
        kind=ConsentKind.DATA_PROCESSING,
        given_by=guardian,
        given_on=given_on,
    )
    if media:
        directory.record_consent(
            actor=SYSTEM, person=pupil, kind=ConsentKind.MEDIA, given_by=guardian, given_on=given_on
        )
    directory.add_affiliation(
        actor=SYSTEM, person=pupil, organisation=school, role=AffiliationRole.PUPIL, start=given_on
    )
    return pupil


def _user(
    username: str,
    role: str,
    organisation: Organisation,
    password: str,
    person: Person | None = None,
) -> User:
    user = User.objects.create_user(username=username, password=password, person=person)
    grant_role(actor=SYSTEM, user=user, role=role, organisation=organisation)
    return user


def make_outreach(cast: Any, password: str) -> Outreach:
    """Cast's Academy runs an outreach programme; Alice is its officer, Bob its viewer."""
    org = directory.create_organisation
    schools = [org(actor=SYSTEM, name_en=f"School {n}", kind="school") for n in ("One", "Two")]
    embassies = [
        org(actor=SYSTEM, name_en=f"Embassy of {n}", kind="embassy") for n in ("Poland", "Japan")
    ]
    programme = programmes.create_programme(
        actor=SYSTEM, owner=cast.academy, kind="outreach", name_en="Jas Diplomat"
    )
    edition = programmes.create_edition(
        actor=SYSTEM, programme=programme, name="JD 2018", year=2018
    )
    for school in schools:
        programmes.add_participation(
            actor=SYSTEM, edition=edition, organisation=school, role="school"
        )
    for embassy in embassies:
        programmes.add_participation(
            actor=SYSTEM, edition=edition, organisation=embassy, role="embassy"
        )
    draw = draws.create_draw(
        actor=SYSTEM,
        owner=cast.academy,
        edition=edition,
        kind="pair",
        title="Pairing",
        left_label="Schools",
        right_label="Embassies",
        left=[s.name_en for s in schools],
        right=[e.name_en for e in embassies],
        sources=[
            {"name": "dice", "form": "numbers", "known_on": "2018-10-05", "description": "Dice"}
        ],
    )
    draw = draws.announce_draw(actor=SYSTEM, draw=draw, on=date(2018, 10, 1))
    draw = draws.conduct_draw(actor=SYSTEM, draw=draw, values=["1 2 3"])
    pairs = programmes.pair_by_draw(actor=SYSTEM, edition=edition, draw=draw)
    pairing = next(p for p in pairs if p.school == schools[0])
    other = next(p for p in pairs if p.school == schools[1])
    diplomat = directory.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Katarzyna", family_name="Nowak"
    )
    directory.add_affiliation(
        actor=SYSTEM, person=diplomat, organisation=pairing.embassy, role=AffiliationRole.DIPLOMAT
    )
    return Outreach(
        edition=edition,
        school=schools[0],
        other_school=schools[1],
        embassy=pairing.embassy,
        other_embassy=other.embassy,
        pairing=pairing,
        other_pairing=other,
        coordinator=_user("coordinator", Role.COORDINATOR, schools[0], password),
        liaison=_user("liaison", Role.LIAISON, pairing.embassy, password, diplomat),
        other_liaison=_user("other_liaison", Role.LIAISON, other.embassy, password),
        pupil=_pupil(cast.academy, schools[0], "Aruzhan", media=True),
        shy_pupil=_pupil(cast.academy, schools[0], "Timur", media=False),
        diplomat=diplomat,
    )


def almaty(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (24, 16), mode: str = "RGB") -> bytes:
    """A small real image file of the given Pillow format (PNG, JPEG, WEBP, GIF...)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(buffer, kind)
    return buffer.getvalue()
