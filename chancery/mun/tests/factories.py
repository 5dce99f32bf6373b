"""A Model UN conference on top of the events tests' small outreach edition."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import Country
from chancery.events.tests.factories import Outreach, make_outreach
from chancery.mun import services
from chancery.mun.models import Committee, Conference, RuleProfile, Seat, SustainableDevelopmentGoal


@dataclass
class Mun:
    outreach: Outreach
    conference: Conference
    committee: Committee
    chair: User
    poland: Seat
    japan: Seat
    officer: User


def make_mun(cast: Any, password: str, profile: str = "un4mun") -> Mun:
    outreach = make_outreach(cast, password)
    for embassy in (outreach.embassy, outreach.other_embassy):
        code = "JP" if "Japan" in str(embassy) else "PL"
        embassy.country = Country.objects.get(alpha2=code)
        embassy.save()
    conference = services.create_conference(
        edition=outreach.edition,
        title="Final meeting",
        day=date(2019, 4, 20),
        theme="Future Energy",
        goal=SustainableDevelopmentGoal.objects.get(number=7),
        actor=cast.alice,
    )
    committee = services.add_committee(
        conference=conference,
        name="General Assembly",
        abbreviation="GA",
        profile=RuleProfile.objects.get(key=profile),
        agenda=["Energy for every school"],
        actor=cast.alice,
    )
    services.create_delegations(conference=conference, actor=cast.alice)
    chair_person = directory.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Dana", family_name="Chairova"
    )
    chair = User.objects.create_user(username="chair", password=password, person=chair_person)
    grant_role(actor=SYSTEM, user=chair, role=Role.CHAIR, organisation=outreach.other_school)
    services.assign_officer(
        committee=committee, person=chair_person, role="chair", actor=cast.alice
    )
    seats = {
        seat.delegation.country.alpha2: seat
        for seat in committee.seats.select_related("delegation__country")
    }
    return Mun(
        outreach=outreach,
        conference=conference,
        committee=committee,
        chair=chair,
        poland=seats["PL"],
        japan=seats["JP"],
        officer=cast.alice,
    )
