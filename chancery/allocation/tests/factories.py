"""Rounds ready to run, shared by the allocation tests and the browser journey."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from chancery.allocation import services
from chancery.allocation.models import Round, RoundHost
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
    return draws.conduct_draw(actor=actor, draw=draw, values=[values])


def make_setup(cast: Any, *, draw: bool = True) -> Setup:
    """Four selected applicants, three hosts with one place each, everyone's choices.

    The ministry ranks Quinn above Pat (its own tiers); the others use the draw's order.
    Pat: ministry, then department. Quinn: ministry, department. Ivan: ministry.
    Dana: consulate, then department. So Quinn gets the ministry, Pat the department (2nd
    choice), Dana the consulate and Ivan nothing, whatever the draw.
    """
    programme = programmes.create_programme(actor=cast.alice, owner=cast.academy,
                                            kind="internship", name_en="Internships")
    edition = programmes.create_edition(actor=cast.alice, programme=programme,
                                        name="Autumn 2030", year=2030,
                                        starts_on=date(2030, 9, 1))
    dana_person = directory.create_person(actor=None, owner=cast.academy, given_name="Dana",
                                          family_name="Third")
    pat = selected(cast, edition, cast.pat_person)
    quinn = selected(cast, edition, cast.quinn_person)
    ivan = selected(cast, edition, cast.intern)
    dana = selected(cast, edition, dana_person)
    embassy = directory.create_organisation(actor=None, name_en="Test Consulate",
                                            kind="embassy")
    round = services.create_round(actor=cast.alice, edition=edition, title="Autumn placements")
    ministry = services.add_host(actor=cast.alice, round=round, organisation=cast.ministry,
                                 capacity=1, ranking=[[quinn.pk], [pat.pk, ivan.pk]])
    department = services.add_host(actor=cast.alice, round=round,
                                   organisation=cast.department, capacity=1)
    consulate = services.add_host(actor=cast.alice, round=round, organisation=embassy,
                                  capacity=1)
    for enrolment, hosts in ((pat, [ministry, department]), (quinn, [ministry, department]),
                             (ivan, [ministry]), (dana, [consulate, department])):
        services.set_preferences(actor=cast.alice, round=round, enrolment=enrolment,
                                 hosts=hosts)
    if draw:
        conduct_tie_break(cast.alice, round)
    round.refresh_from_db()
    return Setup(edition=edition, round=round, embassy=embassy, ministry=ministry,
                 department=department, consulate=consulate, pat=pat, quinn=quinn, ivan=ivan,
                 dana=dana)
