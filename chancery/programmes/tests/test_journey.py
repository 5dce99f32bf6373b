"""A person's journey on their page: every app's steps, in time order, as the reader may see."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.journey import journey
from chancery.directory.models import AffiliationRole
from chancery.programmes import services

pytestmark = pytest.mark.django_db


def test_the_person_page_tells_the_journey_in_time_order(cast: Any, jpo: Any) -> None:
    aida = jpo.graduate
    affiliation = aida.affiliations.get(role=AffiliationRole.ALUMNUS)
    directory.update_affiliation(actor=SYSTEM, affiliation=affiliation, end=date(2025, 6, 30))
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=aida, on=date(2026, 3, 1)
    )
    services.select(actor=cast.alice, enrolment=enrolment)
    services.place(
        actor=cast.alice,
        enrolment=enrolment,
        host=jpo.mfa,
        department=jpo.department,
        start=date(2026, 9, 1),
    )
    steps = journey(aida, cast.alice)
    titles = [step.title for step in steps]
    assert titles == [
        f"Graduated from {cast.academy}",
        "Applied to JPO 2026",
        f"Placed at {jpo.department} until 30 Nov 2026",
    ]
    assert [step.day for step in steps] == sorted(step.day for step in steps)

    page = cast.client_for(cast.alice).get(reverse("directory:person", args=[aida.pk]))
    text = page.content.decode()
    assert "Journey" in text and "Applied to JPO 2026" in text
    assert text.index("Applied to JPO 2026") < text.index("Placed at")
    assert reverse("programmes:enrolment", args=[enrolment.pk]) in text

    # A reader who may see the person but not the programme's records sees none of its steps.
    other = directory.create_organisation(actor=SYSTEM, name_en="Other office", kind="academy")
    from conftest import _user

    stranger = _user("stranger", "officer", other)
    assert not [s for s in journey(aida, stranger) if s.kind in ("applied", "placed")]


def test_an_empty_journey_says_what_will_appear(cast: Any) -> None:
    page = cast.client_for(cast.alice).get(reverse("directory:person", args=[cast.quinn_person.pk]))
    assert "Nothing recorded yet" in page.content.decode()
