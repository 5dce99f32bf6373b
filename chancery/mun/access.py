"""Who may read and run Model UN: the role predicates that mark the pages and the API, and
the per-object checks the services make (who sets a conference up, who chairs a committee)."""

from typing import Any

from chancery.accounts.access import has_role
from chancery.accounts.models import Role
from chancery.events.access import is_programme_officer
from chancery.mun.models import BENCH_ROLES, Committee, Conference, Officer

reads_mun = has_role(Role.OFFICER, Role.VIEWER, Role.COORDINATOR, Role.LIAISON, Role.CHAIR)
runs_sessions = has_role(Role.OFFICER, Role.CHAIR)


def can_manage_conference(actor: Any, conference: Conference) -> bool:
    """Officers of the office running the edition's programme, superusers and the system."""
    return is_programme_officer(actor, conference.edition)


def can_chair(actor: Any, committee: Committee) -> bool:
    """The committee's chairs, moderators and rapporteurs, and the programme's officers."""
    if is_programme_officer(actor, committee.conference.edition):
        return True
    person_id = getattr(actor, "person_id", None)
    return (
        person_id is not None
        and Officer.objects.filter(
            committee=committee, person_id=person_id, role__in=BENCH_ROLES
        ).exists()
    )
