from dataclasses import dataclass
from typing import Any

import pytest

from chancery.accounts.models import User
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.programmes import services as programmes
from chancery.programmes.models import Edition, Enrolment, EnrolmentState
from chancery.selection import services
from chancery.selection.models import Criterion, Panel


@dataclass
class Committee:
    edition: Edition
    panel: Panel
    reviewers: list[User]
    criteria: list[Criterion]
    enrolments: list[Enrolment]


@pytest.fixture
def committee(cast: Any) -> Committee:
    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="JPO"
    )
    edition = programmes.create_edition(
        actor=cast.alice, programme=programme, name="JPO 2028", year=2028, capacity=2
    )
    enrolments = []
    for number in range(4):
        person = directory.create_person(
            actor=SYSTEM, owner=cast.academy, given_name=f"Applicant{number}", family_name="Test"
        )
        enrolments.append(
            Enrolment.objects.create(edition=edition, person=person, state=EnrolmentState.ELIGIBLE)
        )
    panel = services.set_up(
        actor=cast.alice, edition=edition, scale_min=1, scale_max=5, disagreement=2
    )
    reviewers = [User.objects.create_user(username=f"rev{n}", password="x") for n in range(3)]
    for user in reviewers:
        services.add_reviewer(actor=cast.alice, panel=panel, user=user)
    criteria = [
        services.add_criterion(
            actor=cast.alice,
            panel=panel,
            name_en="Motivation",
            name_ru="Мотивация",
            name_kk="Уәждеме",
            weight=2,
        ),
        services.add_criterion(actor=cast.alice, panel=panel, name_en="Languages", weight=1),
    ]
    return Committee(
        edition=edition, panel=panel, reviewers=reviewers, criteria=criteria, enrolments=enrolments
    )
