"""Demo selection: the coming JPO edition's committee, rubric and reviews in several states.

Two reviewers sit on the committee with the officer; alumni of the Academy not yet in the
edition apply (through programmes.services.apply, so their eligibility is assessed: the host
rules wait for the placement, so they are eligible); each
application gets two reviewers. Some reviews are submitted (one application with a large
disagreement), one reviewer declares a conflict, the rest wait to be written.
"""

from typing import Any

from django.utils import timezone

from chancery.accounts.demo import DEMO_PASSWORD
from chancery.accounts.models import User
from chancery.core.actors import SYSTEM
from chancery.directory.models import Person
from chancery.programmes import services as programmes
from chancery.programmes.models import Edition
from chancery.selection import services
from chancery.selection.models import Assignment, Panel

MOTIVATIONS = [
    "I want to see how a ministry turns analysis into policy.",
    "My thesis was on water diplomacy; I would like to work on it in practice.",
    "I hope to serve in my country's foreign service after the internship.",
    "Three months inside a ministry would show me where I can be most useful.",
]
# (motivation, languages, writing) by reviewer, for the reviews submitted in the demo.
SCORES = [(5, 4, 4), (4, 4, 3), (2, 3, 2), (5, 5, 5), (1, 2, 1)]


def build(actor: Any = SYSTEM) -> list[tuple[str, str, str]]:
    """The committee of the coming JPO edition; returns the reviewers' demo logins."""
    edition = (
        Edition.objects.filter(
            programme__kind="internship", name__startswith="JPO", starts_on__gt=timezone.localdate()
        )
        .select_related("programme__owner")
        .order_by("-year")
        .first()
    )
    if edition is None:
        return []
    officer = User.objects.filter(username="officer").first() or actor
    alumni = (
        Person.objects.filter(
            affiliations__role="alumnus", affiliations__organisation=edition.programme.owner
        )
        .exclude(enrolments__edition=edition)
        .distinct()
        .order_by("pk")[:8]
    )
    for person, motivation in zip(alumni, MOTIVATIONS * 2, strict=False):
        programmes.apply(actor=officer, edition=edition, person=person, motivation=motivation)
    panel = services.set_up(
        actor=officer, edition=edition, scale_min=1, scale_max=5, disagreement=2
    )
    logins = []
    reviewers = []
    for username, given in (("reviewer", "Dana"), ("reviewer2", "Ruslan")):
        user = User.objects.create_user(
            username=username, password=DEMO_PASSWORD, first_name=given, last_name="Reviewer"
        )
        reviewers.append(services.add_reviewer(actor=officer, panel=panel, user=user))
        logins.append((username, DEMO_PASSWORD, f"selection reviewer of {edition.name}"))
    if officer is not None and officer.pk:
        services.add_reviewer(actor=officer, panel=panel, user=officer)
    criteria = [
        services.add_criterion(
            actor=officer,
            panel=panel,
            name_en="Motivation",
            name_ru="Мотивация",
            name_kk="Уәждеме",
            weight=3,
        ),
        services.add_criterion(
            actor=officer,
            panel=panel,
            name_en="Languages",
            name_ru="Языки",
            name_kk="Тілдер",
            weight=2,
        ),
        services.add_criterion(
            actor=officer,
            panel=panel,
            name_en="Writing",
            name_ru="Письменные навыки",
            name_kk="Жазу дағдылары",
            weight=1,
        ),
    ]
    services.assign(actor=officer, panel=panel, per_application=2)
    _review(panel, reviewers, criteria)
    return logins


def _review(panel: Panel, reviewers: list[Any], criteria: list[Any]) -> None:
    first, second = reviewers
    mine = list(Assignment.objects.filter(reviewer=first).order_by("pk"))
    for assignment, values in zip(mine[:3], SCORES, strict=False):
        services.submit_review(
            actor=first.user,
            assignment=assignment,
            scores={c.pk: (v, "") for c, v in zip(criteria, values, strict=True)},
            comment="Read in full.",
        )
    read = {assignment.candidacy_id for assignment in mine[:3]}
    theirs = list(Assignment.objects.filter(reviewer=second).order_by("pk"))
    shared = [a for a in theirs if a.candidacy_id in read]
    if shared:  # disagrees with the first reviewer on an application both read
        services.submit_review(
            actor=second.user,
            assignment=shared[0],
            scores={c.pk: (v, "") for c, v in zip(criteria, SCORES[4], strict=True)},
            comment="Little sign of the languages the post needs.",
        )
        theirs.remove(shared[0])
    if len(theirs) > 2:
        services.declare_conflict(
            actor=second.user, assignment=theirs[-1], reason="I supervised this applicant's thesis."
        )
