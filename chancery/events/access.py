"""Who may read and write the outreach season's events, pupils and attendance: the role
predicates that mark the pages and the API, and the per-object checks the services make.

School coordinators and embassy liaisons write the events of their own organisation's
pairings; the officers of the office running the programme write any event of it.
"""

from typing import Any

from django.db.models import Q, QuerySet

from chancery.accounts.access import has_role, is_officer_of, organisations_where, reads_office
from chancery.accounts.models import Role
from chancery.events.models import Event
from chancery.programmes.models import Edition, Pairing

reads_events = has_role(Role.OFFICER, Role.VIEWER, Role.COORDINATOR, Role.LIAISON)
writes_events = has_role(Role.OFFICER, Role.COORDINATOR, Role.LIAISON)
registers_pupils = has_role(Role.OFFICER, Role.COORDINATOR)
# The season's report and attendance figures: the office's own reading.
reads_reports = reads_office


def is_programme_officer(actor: Any, edition: Edition) -> bool:
    """An officer of the office running the edition's programme, a superuser or the system;
    no actor (one forgotten) is none."""
    return is_officer_of(actor, edition.programme.owner_id)


def own_pairings(actor: Any, edition: Edition) -> QuerySet[Pairing]:
    """The edition's pairings the actor may write events for."""
    pairings = Pairing.objects.filter(edition=edition)
    if is_programme_officer(actor, edition):
        return pairings
    schools = organisations_where(actor, Role.COORDINATOR)
    embassies = organisations_where(actor, Role.LIAISON)
    return pairings.filter(Q(school__in=schools) | Q(embassy__in=embassies))


def can_manage(actor: Any, event: Event) -> bool:
    """Officers of the programme; coordinators and liaisons when every pairing is theirs."""
    if is_programme_officer(actor, event.edition):
        return True
    pairings = {p.pk for p in event.pairings.all()}
    return bool(pairings) and pairings <= set(
        own_pairings(actor, event.edition).values_list("pk", flat=True)
    )
