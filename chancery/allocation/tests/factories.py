"""Rounds ready to run, shared by the allocation tests and the browser journey."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from chancery.allocation import services
from chancery.allocation.models import Round, RoundHost
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import Organisation
from chancery.draws import services as draws
from chancery.draws.models import Draw
from chancery.programmes import services as programmes
from chancery.programmes.models import Edition, Enrolment

SOURCES = [{"name": "Dice in the hall", "form": "numbers", "known_on": "2030-01-02"}]


@dataclass
class Setup:
    edition: Edition
    round: Round
    embassy: Organisation
    ministry: RoundHost
    department: RoundHost
    consulate: RoundHost
    pat: Enrolment
    quinn: Enrolment
    ivan: Enrolment
    dana: Enrolment

    @property
    def enrolments(self) -> list[Enrolment]:
        return [self.pat, self.quinn, self.ivan, self.dana]


def selected(cast: Any, edition: Edition, person: Any) -> Enrolment:
    enrolment = programmes.apply(actor=cast.alice, edition=edition, person=person)
    return programmes.select(actor=cast.alice, enrolment=enrolment)


def conduct_tie_break(actor: Any, round: Round, values: str = "3 7 1") -> Draw:
    """Prepare, announce and conduct the round's tie-break draw."""
    draw = services.prepare_tie_break_draw(actor=actor, round=round)
    draw = draws.update_draw(actor=actor, draw=draw, sources=SOURCES)
    draw = draws.announce_draw(actor=actor, draw=draw, on=date(2030, 1, 1))
    return draws.conduct_draw(
        actor=actor, draw=draw, values=[values], at=datetime(2030, 1, 2, 9, tzinfo=UTC)
    )


def make_setup(cast: Any, *, draw: bool = True) -> Setup:
    """Four selected applicants, three hosts with one place each, everyone's choices.

    The ministry ranks Quinn above Pat (its own tiers); the others use the draw's order.
    Pat: ministry, then department. Quinn: ministry, department. Ivan: ministry.
    Dana: consulate, then department. So Quinn gets the ministry, Pat the department (2nd
    choice), Dana the consulate and Ivan nothing, whatever the draw.
    """
    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="Internships"
    )
    edition = programmes.create_edition(
        actor=cast.alice,
        programme=programme,
        name="Autumn 2030",
        year=2030,
        starts_on=date(2030, 9, 1),
    )
    dana_person = directory.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Dana", family_name="Third"
    )
    pat = selected(cast, edition, cast.pat_person)
    quinn = selected(cast, edition, cast.quinn_person)
    ivan = selected(cast, edition, cast.intern)
    dana = selected(cast, edition, dana_person)
    embassy = directory.create_organisation(actor=SYSTEM, name_en="Test Consulate", kind="embassy")
    round = services.create_round(actor=cast.alice, edition=edition, title="Autumn placements")
    ministry = services.add_host(
        actor=cast.alice,
        round=round,
        organisation=cast.ministry,
        capacity=1,
        ranking=[[quinn.pk], [pat.pk, ivan.pk]],
    )
    department = services.add_host(
        actor=cast.alice, round=round, organisation=cast.department, capacity=1
    )
    consulate = services.add_host(actor=cast.alice, round=round, organisation=embassy, capacity=1)
    for enrolment, hosts in (
        (pat, [ministry, department]),
        (quinn, [ministry, department]),
        (ivan, [ministry]),
        (dana, [consulate, department]),
    ):
        services.set_preferences(actor=cast.alice, round=round, enrolment=enrolment, hosts=hosts)
    if draw:
        conduct_tie_break(cast.alice, round)
    round.refresh_from_db()
    return Setup(
        edition=edition,
        round=round,
        embassy=embassy,
        ministry=ministry,
        department=department,
        consulate=consulate,
        pat=pat,
        quinn=quinn,
        ivan=ivan,
        dana=dana,
    )


@dataclass
class CountryRound:
    """An outreach edition not paired by draw: four schools rank Model UN countries."""

    edition: Edition
    round: Round
    schools: dict[str, Organisation]
    hosts: dict[str, RoundHost]
    coordinator: Any
    other_coordinator: Any


def make_country_round(
    cast: Any, *, draw: bool = True, choices: bool = True, password: str | None = None
) -> CountryRound:
    """Schools A-D of an outreach edition; Japan, France, Brazil take one school each.

    Japan ranks school B first (its own tiers); France and Brazil use the draw's order.
    A: Japan, then France. B: Japan, then Brazil. C: Japan. D: Brazil. So B gets Japan,
    A France (2nd choice), D Brazil and C nothing, whatever the draw. The user `coord_a`
    coordinates school A; `coord_b` school B.
    """
    from chancery.accounts.models import Role, User
    from chancery.accounts.services import grant_role
    from chancery.directory.models import Country

    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="outreach", name_en="Model UN for schools"
    )
    edition = programmes.create_edition(
        actor=cast.alice, programme=programme, name="MUN 2031", year=2031
    )
    schools = {}
    for letter in "ABCD":
        school = directory.create_organisation(
            actor=SYSTEM, name_en=f"School {letter}", kind="school"
        )
        programmes.add_participation(
            actor=SYSTEM, edition=edition, organisation=school, role="school"
        )
        schools[letter] = school
    users = []
    for letter in "AB":
        user = User.objects.create_user(username=f"coord_{letter.lower()}", password=password)
        grant_role(actor=SYSTEM, user=user, role=Role.COORDINATOR, organisation=schools[letter])
        users.append(user)
    round = services.create_round(
        actor=cast.alice, edition=edition, kind="countries", title="Model UN countries"
    )
    country = Country.objects.get
    hosts = {
        "JP": services.add_country(
            actor=cast.alice,
            round=round,
            country=country(alpha2="JP"),
            ranking=[[schools["B"].pk], [schools["A"].pk, schools["C"].pk]],
        ),
        "FR": services.add_country(actor=cast.alice, round=round, country=country(alpha2="FR")),
        "BR": services.add_country(actor=cast.alice, round=round, country=country(alpha2="BR")),
    }
    if choices:
        for letter, codes in (
            ("A", ["JP", "FR"]),
            ("B", ["JP", "BR"]),
            ("C", ["JP"]),
            ("D", ["BR"]),
        ):
            services.set_school_preferences(
                actor=cast.alice,
                round=round,
                school=schools[letter],
                hosts=[hosts[code] for code in codes],
            )
    if draw:
        conduct_tie_break(cast.alice, round)
    round.refresh_from_db()
    return CountryRound(
        edition=edition,
        round=round,
        schools=schools,
        hosts=hosts,
        coordinator=users[0],
        other_coordinator=users[1],
    )
